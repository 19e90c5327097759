"""Index maintenance on the `search` queue (routed in bac_collection/celery.py).

Tasks take a model label and primary keys, re-read the rows and call a
service, so running one twice, late or out of order is harmless. Queueing them
is here too, beside them (search/sync.py batches per transaction, then calls
`queue_index_updates`); services never import tasks.
"""

import logging

from celery import shared_task

from .engines import SearchEngineUnavailable
from .registry import all_kinds
from .services import Drift, IndexingFailed, search_index_check, search_index_update

logger = logging.getLogger(__name__)

RETRYABLE = (SearchEngineUnavailable, IndexingFailed)
# A task carries at most this many primary keys, so one huge import batch
# becomes several retryable units of work rather than one long task.
TASK_CHUNK_SIZE = 500


@shared_task(
    autoretry_for=RETRYABLE,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def update_index_task(model_label: str, pks: list[int]) -> int:
    """`model_label` is a kind's model or one a kind depends on."""
    return search_index_update(model_label=model_label, pks=[int(pk) for pk in pks])


def queue_index_updates(model_label: str, pks) -> None:
    """Send update_index_task for these rows, TASK_CHUNK_SIZE keys a task."""
    ordered = sorted(pks)
    for start in range(0, len(ordered), TASK_CHUNK_SIZE):
        update_index_task.delay(model_label, ordered[start : start + TASK_CHUNK_SIZE])


def search_index_repair() -> list[Drift]:
    """Queue updates for every drifting record; returns the drift found."""
    report = search_index_check()
    for kind in all_kinds():
        pks = set().union(*(drift.pks for drift in report if drift.kind == kind.name))
        if pks:
            logger.warning("Search index drift: reindexing %d %s", len(pks), kind.name)
            queue_index_updates(kind.model_label, pks)
    return report


@shared_task(autoretry_for=RETRYABLE, retry_backoff=60, max_retries=3)
def repair_index_drift_task() -> dict[str, int]:
    """Hourly (beat): reindex whatever the sync path missed."""
    drifted: dict[str, int] = {}
    for drift in search_index_repair():
        drifted[drift.backend] = drifted.get(drift.backend, 0) + len(drift.pks)
    return drifted
