"""Emails a contributor asked for at submission ("email me when..."): their memory
is public, the BAC team replied, their call response was featured. This module
holds the writes that queue them and the contributor's choice; the emails, their
one-click unsubscribe and the claim that sends each once are in update_emails.py,
which the jobs (tasks.py) run.
"""

import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from foundation.queueing import enqueue
from foundation.signals import records_changed

from .models import Memory, MemoryReply
from .tasks import send_featured_task, send_published_task, send_reply_notice_task

# --- Queued after commit --------------------------------------------------------


def _queue(task, pk: int) -> None:
    transaction.on_commit(lambda: enqueue(task, pk))


def queue_published(memory: Memory) -> None:
    if memory.email_updates:
        _queue(send_published_task, memory.pk)


def queue_reply_notice(reply: MemoryReply) -> None:
    _queue(send_reply_notice_task, reply.pk)


def memory_feature(*, memory: Memory, featured: bool) -> Memory:
    """Feature (or stop featuring) a call response at the top of its call's page."""
    Memory.objects.filter(pk=memory.pk).update(featured_at=timezone.now() if featured else None)
    memory.refresh_from_db()
    if featured and memory.email_updates:
        _queue(send_featured_task, memory.pk)
    # update() sends no signal: say so (the pages showing it, its call's among them).
    records_changed.send(sender=Memory, pks=[memory.pk])
    return memory


# --- The contributor's choice ----------------------------------------------------


def updates_unsubscribe(*, public_id: uuid.UUID) -> int:
    """Stop every update email to the address that shared this memory (all of
    their memories: one click should stop them all). Returns memories changed."""
    memory = Memory.objects.select_related("contact").filter(public_id=public_id).first()
    if memory is None:
        return 0
    email = memory.contact.email
    same_sender = Q(pk=memory.pk) | (Q(contact__email__iexact=email) if email else Q(pk=memory.pk))
    return Memory.objects.filter(same_sender, email_updates=True).update(email_updates=False)


def updates_choose(*, memory: Memory, wanted: bool) -> Memory:
    """The contributor's choice from their private link (an address is needed)."""
    wanted = wanted and bool(memory.contact.email)
    Memory.objects.filter(pk=memory.pk).update(email_updates=wanted)
    memory.email_updates = wanted
    return memory
