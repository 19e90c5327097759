"""Index maintenance on the `search` queue (routed in bac_collection/celery.py).

Tasks take a model label and primary keys, re-read the rows and call a
service, so running one twice, late or out of order is harmless.
"""

import logging

from celery import shared_task

from .engines import SearchEngineUnavailable
from .services import IndexingFailed, search_index_repair, search_index_update

logger = logging.getLogger(__name__)

RETRYABLE = (SearchEngineUnavailable, IndexingFailed)


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


@shared_task(autoretry_for=RETRYABLE, retry_backoff=60, max_retries=3)
def repair_index_drift_task() -> dict[str, int]:
    """Hourly (beat): reindex whatever the sync path missed."""
    drifted: dict[str, int] = {}
    for drift in search_index_repair():
        drifted[drift.backend] = drifted.get(drift.backend, 0) + len(drift.pks)
    return drifted
