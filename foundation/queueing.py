"""Queueing a Celery job after a write that must not be lost because of it."""

import logging

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> None:
    """Queue a job; if the broker is unreachable, log it and leave it for the app's
    beat sweep, which finds the work still undone (the row was committed first)."""
    try:
        task.delay(*args)
    except Exception:  # any broker failure: the row is saved, the sweep retries
        logger.warning("Could not queue %s%s; the sweep will retry", task.name, args, exc_info=True)
