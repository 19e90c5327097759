"""The contributor's private link and thank-you address, signed like a memory's
(memories/links.py) under salts of their own: nothing is stored, staff cannot
rebuild the link, and a memory's token opens no identification."""

import uuid

from django.urls import reverse

from memories import links

_PRIVATE_SALT = "identifications.private-link"
_THANKS_SALT = "identifications.thanks"


def private_token(public_id: uuid.UUID) -> str:
    return links.private_token(public_id, salt=_PRIVATE_SALT)


def private_token_public_id(token: str) -> uuid.UUID | None:
    return links.private_token_public_id(token, salt=_PRIVATE_SALT)


def private_url(public_id: uuid.UUID) -> str:
    return reverse("identifications:private", args=[private_token(public_id)])


def thanks_token(public_id: uuid.UUID) -> str:
    return links.thanks_token(public_id, salt=_THANKS_SALT)


def thanks_token_public_id(token: str) -> uuid.UUID | None:
    return links.thanks_token_public_id(token, salt=_THANKS_SALT)
