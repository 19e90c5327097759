"""A sample call for memories for `make run`: one open call about a sample record,
two sample responses and one sample reply, every one labelled as sample content
on the site. Built only from the demo archive's sample records."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from calls.models import CallIndexPage, CallPage
from memories.models import AgeGroup, Licence, Memory, MemoryContact, MemoryReply, Relationship
from memories.services import consent_wording_current
from objects.models import CollectionObject
from stories.models import StaffProfile

SLUG = "sample-call-for-memories"
OPEN_DAYS = 365
RESPONSES = [
    (
        "Sample contributor A",
        Relationship.AUDIENCE,
        "This is a sample memory, written to show how answers to a call appear. A real one "
        "might say where the person sat, who they went with and what they still remember.",
    ),
    (
        "Sample contributor B",
        Relationship.VOLUNTEER,
        "Another sample memory. Real responses are read by a moderator before they appear "
        "here, and the BAC team can reply to them, as below.",
    ),
]
REPLY = (
    "This is a sample reply from the team, showing how staff answer memories in public, "
    "signed with a public name and role and never a login or an email address."
)


def _sample_object() -> CollectionObject | None:
    return (
        CollectionObject.objects.filter(is_sample_content=True, live=True)
        .order_by("-production_id", "pk")
        .first()
    )


@transaction.atomic
def sample_call_load() -> str | None:
    """Create the sample call, its responses and reply, if not there yet; return its
    title (None when it exists already or there is nothing to ask about)."""
    index = CallIndexPage.objects.first()
    obj = _sample_object()
    if index is None or obj is None or CallPage.objects.filter(slug=SLUG).exists():
        return None
    call = CallPage(
        title=f"Sample call: do you remember “{obj.title}”?",
        slug=SLUG,
        context="This is a sample call for memories, made to demonstrate the site from the "
        "sample records. A real call asks one question about a show, an object or a decade, "
        "and everyone who remembers can answer it.",
        closes_at=timezone.now() + timedelta(days=OPEN_DAYS),
        is_sample_content=True,
    )
    call.objects_asked_about.set([obj])
    if obj.production_id:
        call.productions.set([obj.production_id])
    index.add_child(instance=call)
    call.save_revision().publish()

    wording = consent_wording_current()
    now = timezone.now()
    memories = []
    for name, relationship, text in RESPONSES:
        memory = Memory.objects.create(
            text=text,
            display_name=name,
            relationship=relationship,
            object=obj,
            call=call,
            status=Memory.Status.APPROVED,
            approved_at=now,
            consent_wording=wording,
            consented_at=now,
            licence=Licence.SITE_ONLY,
            age_group=AgeGroup.ADULT,
            verified=True,
            is_sample_content=True,
        )
        MemoryContact.objects.create(memory=memory, email="")
        memories.append(memory)
    author, _ = StaffProfile.objects.get_or_create(
        name="Sample team member", defaults={"role": "Archivist (sample profile)"}
    )
    reply = MemoryReply.objects.create(memory=memories[0], author=author, text=REPLY)
    reply.save_revision().publish()
    return call.title
