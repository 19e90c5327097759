"""A valid "Help us identify" form post, and one sent and accepted."""

import uuid

from django.urls import reverse

from identifications import services
from identifications.models import Identification
from memories.links import form_started_stamp

CONTRIBUTOR_EMAIL = "helper.private@example.org"


def form_data(**overrides) -> dict:
    data = {
        "kind": "person",
        "value": "Maggie Thompson",
        "details": "She is my aunt; she played the Fairy Godmother.",
        "source": "The 1985 programme",
        "email": CONTRIBUTOR_EMAIL,
        "consent": "on",
        "website": "",
        "started": form_started_stamp(),
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def identify_url(obj) -> str:
    return reverse("identifications:identify", args=[obj.slug])


def suggest(obj, **fields) -> Identification:
    suggestion = services.Suggestion(
        object_id=obj.pk,
        kind=fields.pop("kind", "person"),
        value=fields.pop("value", "Maggie Thompson"),
        email=fields.pop("email", CONTRIBUTOR_EMAIL),
        **fields,
    )
    identification, _ = services.identification_submit(suggestion=suggestion)
    return identification


def accept(identification, user, **acceptance) -> Identification:
    acceptance.setdefault("value", identification.value)
    return services.identification_accept(
        identification=identification, acceptance=services.Acceptance(**acceptance), user=user
    )
