"""A sample accepted identification for `make run`: a sample record gains a place
"with help from a member of the public", labelled as sample content on its page.
Built only from the demo archive's sample records."""

from django.db import transaction
from django.utils import timezone

from identifications.models import Identification, IdentificationContact, Kind
from identifications.services import Acceptance, identification_accept
from objects.models import CollectionObject

VALUE = "Lavender Hill, Battersea (sample identification)"


@transaction.atomic
def sample_identification_load() -> str | None:
    """Create and accept the sample identification if not there yet; return the
    object's title (None when it exists already or there is no sample record)."""
    if Identification.objects.filter(is_sample_content=True).exists():
        return None
    obj = (
        CollectionObject.objects.filter(is_sample_content=True, live=True)
        .exclude(content_warning__gt="")
        .order_by("pk")
        .first()
    )
    if obj is None:
        return None
    identification = Identification.objects.create(
        object=obj,
        kind=Kind.PLACE,
        value=VALUE,
        details="A sample suggestion, made to show how the public's help reaches the record.",
        consented_at=timezone.now(),
        verified=True,
        is_sample_content=True,
    )
    IdentificationContact.objects.create(
        identification=identification, email="sample-identification@example.invalid"
    )
    identification_accept(
        identification=identification, acceptance=Acceptance(value=VALUE), user=None
    )
    return obj.title
