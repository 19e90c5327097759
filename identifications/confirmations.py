"""The confirmation email a visitor gets after suggesting an identification: the
work its Celery job does, apart from the writes that queue it."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from foundation.absolute_urls import site_url

from .links import private_url
from .models import Identification


def identification_send_confirmation(*, identification_id: int) -> bool:
    """Email the contributor their private link, once (a job run twice sends once)."""
    identification = (
        Identification.objects.select_related("contact", "object")
        .filter(pk=identification_id)
        .first()
    )
    if identification is None or not identification.contact.email:
        return False
    claimed = Identification.objects.filter(
        pk=identification_id, confirmation_sent_at__isnull=True
    ).update(confirmation_sent_at=timezone.now())
    if not claimed:
        return False
    try:
        send_mail(
            "Thank you for helping us identify an object",
            render_to_string(
                "identifications/email/confirmation.txt",
                {
                    "identification": identification,
                    "private_link": site_url(private_url(identification.public_id)),
                },
            ),
            settings.DEFAULT_FROM_EMAIL,
            [identification.contact.email],
        )
    except Exception:
        Identification.objects.filter(pk=identification_id).update(confirmation_sent_at=None)
        raise
    return True
