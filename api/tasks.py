"""Celery tasks for open data. The nightly dump runs from beat (bac_collection/celery.py)."""

from celery import shared_task
from django.db import DatabaseError

from .dumps import opendata_dump_write


@shared_task(
    name="api.tasks.write_opendata_dump_task",
    autoretry_for=(OSError, DatabaseError),
    retry_backoff=60,
    retry_jitter=True,
    max_retries=3,
)
def write_opendata_dump_task() -> dict:
    """Write a new bulk dump. Safe to run twice: each run writes a complete dump of
    its own and only then publishes it; concurrent runs take turns (a file lock)."""
    manifest = opendata_dump_write()
    return {entry["name"]: entry["records"] for entry in manifest["files"]}
