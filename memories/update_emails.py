"""The emails a contributor asked for at submission ("email me when..."): their
memory is public, the BAC team replied, their call response was featured.

Nothing goes to a contributor who did not opt in (`Memory.email_updates`). Each
email is claimed before sending (a redelivered job sends once) and carries an
RFC 8058 one-click unsubscribe: `List-Unsubscribe` with an https URL and
`List-Unsubscribe-Post`. The unsubscribe link is signed with a salt of its own,
so it opens nothing but the unsubscribe page (never the private link's pages).
"""

import uuid

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from foundation.absolute_urls import site_url

from .links import private_url
from .models import Memory, MemoryReply

_UNSUBSCRIBE_SALT = "memories.unsubscribe"


def unsubscribe_token(public_id: uuid.UUID) -> str:
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(public_id.hex)


def unsubscribe_token_public_id(token: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_url(public_id: uuid.UUID) -> str:
    return site_url(reverse("memories:unsubscribe", args=[unsubscribe_token(public_id)]))


def _send(memory: Memory, *, subject: str, template: str, context: dict) -> None:
    unsubscribe = unsubscribe_url(memory.public_id)
    body = render_to_string(
        template,
        {
            **context,
            "memory": memory,
            "unsubscribe_url": unsubscribe,
            "private_link": site_url(private_url(memory.public_id)),
        },
    )
    EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [memory.contact.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


def _claim(model, pk: int, field: str, **conditions) -> bool:
    """Mark an email sent before sending it; only one job wins the claim."""
    rows = model.objects.filter(pk=pk, **{f"{field}__isnull": True}, **conditions)
    return bool(rows.update(**{field: timezone.now()}))


def _send_claimed(model, pk: int, field: str, memory: Memory, **message) -> bool:
    if not _claim(model, pk, field):
        return False
    try:
        _send(memory, **message)
    except Exception:
        model.objects.filter(pk=pk).update(**{field: None})  # a retry sends it
        raise
    return True


def _subscribed(**conditions) -> Memory | None:
    """The memory, if its contributor asked for emails and gave an address."""
    return (
        Memory.objects.select_related("contact", "call", "object", "production")
        .filter(email_updates=True, **conditions)
        .exclude(contact__email="")
        .first()
    )


def public_url(memory: Memory) -> str:
    return site_url(reverse("memories:detail", args=[memory.public_id]))


def memory_send_published(*, memory_id: int) -> bool:
    """ "Your memory is now public", once, with its link."""
    memory = _subscribed(pk=memory_id, status=Memory.Status.APPROVED)
    if memory is None:
        return False
    return _send_claimed(
        Memory,
        memory_id,
        "published_sent_at",
        memory,
        subject="Your memory of BAC is now public",
        template="memories/email/published.txt",
        context={"public_url": public_url(memory)},
    )


def reply_send_notice(*, reply_id: int) -> bool:
    """ "The BAC team replied", once per reply, when it is published."""
    reply = MemoryReply.objects.select_related("author").filter(pk=reply_id, live=True).first()
    if reply is None:
        return False
    memory = _subscribed(pk=reply.memory_id)
    if memory is None:
        return False
    link = (
        public_url(memory)
        if memory.status == Memory.Status.APPROVED
        else site_url(private_url(memory.public_id))
    )
    return _send_claimed(
        MemoryReply,
        reply_id,
        "notified_at",
        memory,
        subject="The BAC team replied to your memory",
        template="memories/email/replied.txt",
        context={"reply": reply, "link": link},
    )


def memory_send_featured(*, memory_id: int) -> bool:
    """ "Your call response was featured", once."""
    memory = _subscribed(
        pk=memory_id, status=Memory.Status.APPROVED, featured_at__isnull=False, call__isnull=False
    )
    if memory is None:
        return False
    return _send_claimed(
        Memory,
        memory_id,
        "featured_sent_at",
        memory,
        subject="Your memory is featured on a BAC call for memories",
        template="memories/email/featured.txt",
        context={"call_url": site_url(memory.call.url or "/"), "public_url": public_url(memory)},
    )
