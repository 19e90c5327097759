"""Celery tasks for memories: each takes an id, re-reads, and sends an email that
it first claims, so a redelivered or swept job never sends twice. The writes
(emails.py, updates.py) queue these jobs; the jobs never call the writes, and
the sweeps that queue what a broker outage left undone sit here beside them."""

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from foundation.queueing import enqueue
from images.models import ArchiveImage
from images.tasks import archive_image_queue_processing

from . import emails, update_emails
from .models import PHOTO_COLLECTION, Memory, MemoryReply

logger = logging.getLogger(__name__)
Status = Memory.Status

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
    return emails.memory_send_confirmation(memory_id=memory_id)


@shared_task(name="memories.tasks.notify_moderators_task", **RETRY)
def notify_moderators_task(memory_id: int) -> bool:
    return emails.memory_notify_moderators(memory_id=memory_id)


@shared_task(name="memories.tasks.send_decision_task", **RETRY)
def send_decision_task(memory_id: int) -> bool:
    return emails.memory_send_decision(memory_id=memory_id)


@shared_task(name="memories.tasks.send_published_task", **RETRY)
def send_published_task(memory_id: int) -> bool:
    return update_emails.memory_send_published(memory_id=memory_id)


@shared_task(name="memories.tasks.send_reply_notice_task", **RETRY)
def send_reply_notice_task(reply_id: int) -> bool:
    return update_emails.reply_send_notice(reply_id=reply_id)


@shared_task(name="memories.tasks.send_featured_task", **RETRY)
def send_featured_task(memory_id: int) -> bool:
    return update_emails.memory_send_featured(memory_id=memory_id)


@shared_task(name="memories.tasks.send_private_links_task", **RETRY)
def send_private_links_task(email: str) -> int:
    return emails.memory_links_send(email=email)


def memories_sweep(*, older_than: timedelta = timedelta(minutes=2)) -> dict[str, int]:
    """Queue every job a broker outage left undone. Safe to run at any time."""
    cutoff = timezone.now() - older_than
    recent = Memory.objects.filter(updated_at__lt=cutoff)
    unconfirmed = list(
        recent.filter(confirmation_sent_at__isnull=True)
        .exclude(contact__email="")
        .values_list("pk", flat=True)
    )
    unnotified = list(
        recent.filter(status=Status.PENDING, moderators_notified_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    undecided = list(
        recent.filter(status=Status.REJECTED, decision_sent_at__isnull=True)
        .exclude(contact__email="")
        .values_list("pk", flat=True)
    )
    photos = list(
        ArchiveImage.objects.filter(
            collection__name=PHOTO_COLLECTION,
            processing_status=ArchiveImage.ProcessingStatus.PENDING,
            created_at__lt=cutoff,
        ).values_list("pk", flat=True)
    )
    for pk in unconfirmed:
        enqueue(send_confirmation_task, pk)
    for pk in unnotified:
        enqueue(notify_moderators_task, pk)
    for pk in undecided:
        enqueue(send_decision_task, pk)
    for pk in photos:
        try:
            archive_image_queue_processing(image_id=pk)
        except Exception:
            logger.warning("Could not queue photo %s; next sweep", pk, exc_info=True)
    return {
        **updates_sweep(cutoff=cutoff),
        "confirmations": len(unconfirmed),
        "moderator_notices": len(unnotified),
        "decisions": len(undecided),
        "photos": len(photos),
    }


def updates_sweep(*, cutoff) -> dict[str, int]:
    """Queue the update emails a broker outage left unsent (memories_sweep calls this).
    Only for events before `cutoff`: a fresh one's own job may still be queued."""
    subscribed = Memory.objects.filter(email_updates=True).exclude(contact__email="")
    approved = subscribed.filter(status=Memory.Status.APPROVED)
    published = list(
        approved.filter(approved_at__lt=cutoff, published_sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    featured = list(
        approved.filter(featured_at__lt=cutoff, featured_sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    replies = list(
        MemoryReply.objects.filter(
            live=True,
            notified_at__isnull=True,
            last_published_at__lt=cutoff,
            memory__in=subscribed,
        ).values_list("pk", flat=True)
    )
    for task, pks in (
        (send_published_task, published),
        (send_featured_task, featured),
        (send_reply_notice_task, replies),
    ):
        for pk in pks:
            enqueue(task, pk)
    return {
        "published_notices": len(published),
        "featured_notices": len(featured),
        "reply_notices": len(replies),
    }


@shared_task(name="memories.tasks.sweep_task")
def sweep_task() -> dict[str, int]:
    return memories_sweep()
