"""Celery task for identifications: takes an id, re-reads, and the service claims
its email first, so a redelivered job never sends twice."""

from celery import shared_task

from memories.tasks import RETRY

from . import services


@shared_task(name="identifications.tasks.send_confirmation_task", **RETRY)
def send_confirmation_task(identification_id: int) -> bool:
    return services.identification_send_confirmation(identification_id=identification_id)


@shared_task(name="identifications.tasks.sweep_task")
def sweep_task() -> int:
    return services.identifications_sweep()
