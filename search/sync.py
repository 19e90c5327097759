"""Queue search index updates once the surrounding transaction commits
(search/tasks.py sends them).

Every change that can alter what the search shows (a signal, the importer's
bulk writes, the drift repair) goes through `enqueue_index_update`, so the
database table and Elasticsearch are always kept in step by the same task.
"""

from collections.abc import Iterable

from django.db import transaction

from .tasks import queue_index_updates


class _PendingIndexUpdate:
    """The pks one transaction asked to reindex; sent as tasks on commit.

    Saving an object in the admin fires a signal for the object, each maker
    row, each image row and each m2m change; collecting them here turns those
    into one task instead of a dozen.
    """

    def __init__(self):
        self.pks_by_model: dict[str, set[int]] = {}
        self.sent = False

    def add(self, model_label: str, pks: set[int]) -> None:
        self.pks_by_model.setdefault(model_label, set()).update(pks)

    def send(self) -> None:
        self.sent = True
        for model_label, pks in self.pks_by_model.items():
            queue_index_updates(model_label, pks)


def _pending_update_for_current_transaction(using: str | None) -> _PendingIndexUpdate | None:
    """The batch already registered with this transaction, if any.

    Looked up in Django's own on-commit list, so a rolled-back transaction
    (which drops its callbacks) can never leave a stale batch behind.
    """
    connection = transaction.get_connection(using)
    for _savepoint_ids, callback, _robust in connection.run_on_commit:
        pending = getattr(callback, "__self__", None)
        if isinstance(pending, _PendingIndexUpdate) and not pending.sent:
            return pending
    return None


def enqueue_index_update(model_label: str, pks: Iterable[int], *, using: str | None = None) -> None:
    """Reindex these rows of `model_label` ("app_label.ModelName") after commit.

    Outside a transaction the task is sent at once. The task re-reads each
    row: live ones are (re)indexed, unpublished or deleted ones are removed.
    """
    pk_set = {int(pk) for pk in pks}
    if not pk_set:
        return
    connection = transaction.get_connection(using)
    pending = _pending_update_for_current_transaction(using) if connection.in_atomic_block else None
    if pending is None:
        pending = _PendingIndexUpdate()
        pending.add(model_label, pk_set)
        # Robust: with the broker down the save stands and the drift repair catches up.
        # A bound method, not the object itself: Django names the callback
        # (`__qualname__`) when it logs that failure.
        transaction.on_commit(pending.send, using=using, robust=True)
    else:
        pending.add(model_label, pk_set)
