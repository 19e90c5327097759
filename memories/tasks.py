"""Celery tasks for memories: each takes an id, re-reads, and calls a service
that first claims its work, so a redelivered or swept job never sends twice."""

from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError

from . import services, updates

TRANSIENT_ERRORS = (OSError, SMTPException, DatabaseError)
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(name="memories.tasks.send_confirmation_task", **RETRY)
def send_confirmation_task(memory_id: int) -> bool:
    return services.memory_send_confirmation(memory_id=memory_id)


@shared_task(name="memories.tasks.notify_moderators_task", **RETRY)
def notify_moderators_task(memory_id: int) -> bool:
    return services.memory_notify_moderators(memory_id=memory_id)


@shared_task(name="memories.tasks.send_decision_task", **RETRY)
def send_decision_task(memory_id: int) -> bool:
    return services.memory_send_decision(memory_id=memory_id)


@shared_task(name="memories.tasks.send_published_task", **RETRY)
def send_published_task(memory_id: int) -> bool:
    return updates.memory_send_published(memory_id=memory_id)


@shared_task(name="memories.tasks.send_reply_notice_task", **RETRY)
def send_reply_notice_task(reply_id: int) -> bool:
    return updates.reply_send_notice(reply_id=reply_id)


@shared_task(name="memories.tasks.send_featured_task", **RETRY)
def send_featured_task(memory_id: int) -> bool:
    return updates.memory_send_featured(memory_id=memory_id)


@shared_task(name="memories.tasks.send_private_links_task", **RETRY)
def send_private_links_task(email: str) -> int:
    return services.memory_links_send(email=email)


@shared_task(name="memories.tasks.sweep_task")
def sweep_task() -> dict[str, int]:
    return services.memories_sweep()
