"""Celery tasks for open data. The nightly dump runs from beat (bac_collection/celery.py)."""

from celery import shared_task
from django.db import DatabaseError

from .dumps import opendata_dump_outdated, opendata_dump_write


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


@shared_task(name="api.tasks.refresh_outdated_opendata_dump_task")
def refresh_outdated_opendata_dump_task() -> bool:
    """Run every minute by beat: write the dump again if a memory it holds was taken
    back (withdrawn, rejected, edited). Cheap when nothing changed: two queries."""
    if not opendata_dump_outdated():
        return False
    opendata_dump_write()
    return True
