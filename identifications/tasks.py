"""Celery tasks for identifications: takes an id, re-reads, and the job claims its
email first, so a redelivered job never sends twice. The services queue these
jobs; the jobs never call the services (the email is in confirmations.py)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from foundation.queueing import enqueue
from memories.tasks import RETRY

from .confirmations import identification_send_confirmation
from .models import Identification


@shared_task(name="identifications.tasks.send_confirmation_task", **RETRY)
def send_confirmation_task(identification_id: int) -> bool:
    return identification_send_confirmation(identification_id=identification_id)


def identifications_sweep(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Queue each confirmation a broker outage left unsent. Safe to run at any time:
    the job claims its row, so a confirmation is never sent twice."""
    cutoff = timezone.now() - older_than
    unsent = list(
        Identification.objects.filter(
            confirmation_sent_at__isnull=True, submitted_at__lt=cutoff, is_sample_content=False
        ).values_list("pk", flat=True)
    )
    for pk in unsent:
        enqueue(send_confirmation_task, pk)
    return len(unsent)


@shared_task(name="identifications.tasks.sweep_task")
def sweep_task() -> int:
    return identifications_sweep()
