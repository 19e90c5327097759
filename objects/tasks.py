"""Celery tasks of the collection app."""

import logging

from celery import shared_task
from django.db import DatabaseError
from redis.exceptions import RedisError

from .view_counts import object_views_flush

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(DatabaseError, RedisError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def flush_view_counts_task() -> int:
    """Move page views counted in the cache into CollectionObject.view_count.
    Scheduled by Celery beat (bac_collection/celery.py); safe to run at any time."""
    moved = object_views_flush()
    logger.info("Flushed %d object views to the database", moved)
    return moved
