"""Celery tasks of the impact app."""

import logging

from celery import shared_task
from django.db import DatabaseError
from redis.exceptions import RedisError

from .services import impact_flush

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(DatabaseError, RedisError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def flush_impact_counts_task() -> int:
    """Move the day's counts from Redis into daily rows. Scheduled by Celery beat
    (bac_collection/celery.py); safe to run at any time, and twice at once."""
    moved = impact_flush()
    logger.info("Flushed %d impact counts to the database", moved)
    return moved
