"""Signed values the memory pages hand out: the contributor's private link, the
confirmation page address and the form's start time.

The private link is a signature over the memory's public id made with the
site's SECRET_KEY: nothing is stored, so staff (who can see the public id in
the admin) can never see or rebuild the link.
"""

import time
import uuid

from django.core import signing
from django.urls import reverse

_PRIVATE_SALT = "memories.private-link"
_THANKS_SALT = "memories.thanks"
_STARTED_SALT = "memories.form-started"
# The confirmation page is for the moment after sending, not a permanent address.
THANKS_MAX_AGE = 60 * 60


# Other contributions (identifications) sign their ids with salts of their own, so
# a token made for one kind of contribution never opens another's page.
def private_token(public_id: uuid.UUID, *, salt: str = _PRIVATE_SALT) -> str:
    return signing.Signer(salt=salt).sign(public_id.hex)


def private_token_public_id(token: str, *, salt: str = _PRIVATE_SALT) -> uuid.UUID | None:
    """The public id a private link was made for, or None if it was tampered with."""
    try:
        return uuid.UUID(hex=signing.Signer(salt=salt).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def private_url(public_id: uuid.UUID) -> str:
    return reverse("memories:private", args=[private_token(public_id)])


def thanks_token(public_id: uuid.UUID, *, salt: str = _THANKS_SALT) -> str:
    return signing.TimestampSigner(salt=salt).sign(public_id.hex)


def thanks_token_public_id(token: str, *, salt: str = _THANKS_SALT) -> uuid.UUID | None:
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token, max_age=THANKS_MAX_AGE)
        return uuid.UUID(hex=value)
    except (signing.BadSignature, ValueError):
        return None


def form_started_stamp() -> str:
    """A signed 'this form was handed out now', checked when it comes back."""
    return signing.TimestampSigner(salt=_STARTED_SALT).sign("memory-form")


def form_started_age(stamp: str) -> float | None:
    """Seconds since the form was handed out, or None if the stamp is not ours."""
    signer = signing.TimestampSigner(salt=_STARTED_SALT)
    try:
        signer.unsign(stamp)
        timestamp = signing.b62_decode(stamp.split(signer.sep)[-2])
    except (signing.BadSignature, ValueError, IndexError):
        return None
    return time.time() - timestamp
