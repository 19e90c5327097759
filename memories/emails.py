"""The one-off emails of a memory: the contributor's confirmation with their private
link, the moderators' notice, the decision when it was not published, and the
private links sent again on request. Each is claimed before sending (a job run
twice, or a sweep racing a slow worker, sends once); the jobs in tasks.py run them.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from foundation.absolute_urls import site_url

from .links import private_url
from .models import Memory
from .selectors import memory_pending_count

Status = Memory.Status
MODERATORS_GROUP = "Moderators"


def _claim(memory_id: int, field: str) -> bool:
    """Mark a one-off email as sent before sending; only one job wins the claim."""
    return bool(
        Memory.objects.filter(pk=memory_id, **{f"{field}__isnull": True}).update(
            **{field: timezone.now()}
        )
    )


def _unclaim(memory_id: int, field: str) -> None:
    Memory.objects.filter(pk=memory_id).update(**{field: None})


def _send(*, memory_id: int, field: str, subject: str, template: str, to: list[str], context):
    if not to or not _claim(memory_id, field):
        return False
    try:
        send_mail(
            subject,
            render_to_string(template, context),
            settings.DEFAULT_FROM_EMAIL,
            to,
        )
    except Exception:
        _unclaim(memory_id, field)  # sent by a retry or the next sweep
        raise
    return True


def memory_send_confirmation(*, memory_id: int) -> bool:
    memory = Memory.objects.select_related("contact").filter(pk=memory_id).first()
    return _send_to_contributor(
        memory,
        field="confirmation_sent_at",
        subject="Thank you for your memory of BAC",
        template="memories/email/confirmation.txt",
    )


def _send_to_contributor(memory: Memory | None, *, field: str, subject: str, template: str):
    """An email with the contributor's private link, if they gave an address."""
    if memory is None or not memory.contact.email:
        return False
    return _send(
        memory_id=memory.pk,
        field=field,
        subject=subject,
        template=template,
        to=[memory.contact.email],
        context={"memory": memory, "private_link": site_url(private_url(memory.public_id))},
    )


def moderator_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=MODERATORS_GROUP)
        .exclude(email="")
    )
    return sorted({*users.values_list("email", flat=True), *settings.MEMORIES_MODERATOR_EMAILS})


def memory_notify_moderators(*, memory_id: int) -> bool:
    memory = Memory.objects.filter(pk=memory_id, status=Status.PENDING).first()
    if memory is None:
        return False
    return _send(
        memory_id=memory_id,
        field="moderators_notified_at",
        subject="A memory is waiting for review",
        template="memories/email/moderators.txt",
        to=moderator_emails(),
        context={
            "memory": memory,
            "pending": memory_pending_count(),
            "queue_url": site_url("/admin/memories/memory/?status=pending"),
        },
    )


def memory_send_decision(*, memory_id: int) -> bool:
    """Tell a contributor why their memory was not published."""
    memory = (
        Memory.objects.select_related("contact")
        .filter(pk=memory_id, status=Status.REJECTED)
        .first()
    )
    return _send_to_contributor(
        memory,
        field="decision_sent_at",
        subject="About the memory you shared with BAC",
        template="memories/email/rejected.txt",
    )


def memory_links_send(*, email: str) -> int:
    """Email every private link for memories shared from this address (or nothing)."""
    memories = list(
        Memory.objects.filter(contact__email__iexact=email.strip()).order_by("submitted_at")
    )
    if not memories:
        return 0
    send_mail(
        "Your private links to your memories of BAC",
        render_to_string(
            "memories/email/links.txt",
            {
                "memories": [(m, site_url(private_url(m.public_id))) for m in memories],
            },
        ),
        settings.DEFAULT_FROM_EMAIL,
        [memories[0].contact.email],
    )
    return len(memories)
