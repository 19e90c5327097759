"""Writes for identifications: a visitor's suggestion, and staff accepting it
into the catalogue record or declining it.

Accepting changes the live object through a new revision that is published at
once (the change shows in the object's history under the reviewer's name). An
unpublished draft of the object gets the same change on top, so neither the
public record nor the draft loses anything.
"""

import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.actions.publish_revision import PublishPermissionError

from foundation.queueing import enqueue
from foundation.signals import records_changed
from objects.models import CollectionObject, Maker, ObjectMaker, Place, Production

from .models import Identification, IdentificationContact, Kind
from .tasks import send_confirmation_task

Status = Identification.Status
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


class CannotAccept(Exception):
    """Accepting would leave the record wrong; the message says what to do."""


@dataclass(frozen=True)
class Suggestion:
    """A visitor's suggestion as it arrives, already validated by the form."""

    object_id: int
    kind: str
    value: str
    email: str
    details: str = ""
    source: str = ""
    verified: bool = False
    idempotency_key: uuid.UUID | None = None


def identification_submit(*, suggestion: Suggestion) -> tuple[Identification, bool]:
    """Store a suggestion as pending; returns (identification, created). The same
    idempotency key always gives back the first one, so a resent form makes one."""
    key = suggestion.idempotency_key
    if key is not None and (existing := _by_key(key)) is not None:
        return existing, False
    try:
        with transaction.atomic():
            identification = Identification.objects.create(
                object_id=suggestion.object_id,
                kind=suggestion.kind,
                value=suggestion.value,
                details=suggestion.details,
                source=suggestion.source,
                consented_at=timezone.now(),
                idempotency_key=key,
                verified=suggestion.verified,
            )
            IdentificationContact.objects.create(
                identification=identification, email=suggestion.email.strip()
            )
    except IntegrityError:
        # A simultaneous twin with the same key won the race.
        existing = _by_key(key) if key else None
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(lambda: enqueue(send_confirmation_task, identification.pk))
    return identification, True


def _by_key(key: uuid.UUID) -> Identification | None:
    return Identification.objects.filter(idempotency_key=key).first()


# --- Staff decisions ---------------------------------------------------------------


@dataclass(frozen=True)
class Acceptance:
    """What staff put into the record: `value` (checked and perhaps corrected from
    the visitor's words), a production chosen from the catalogue, a maker's role."""

    value: str
    production: Production | None = None
    role: str = ""


def identification_accept(
    *, identification: Identification, acceptance: Acceptance, user
) -> Identification:
    if not identification.is_pending:
        raise CannotAccept("This suggestion was already decided.")
    value = acceptance.value.strip()
    if not value:
        raise CannotAccept("Write what goes into the record.")
    try:
        _accept(identification, value, acceptance, user)
    except PublishPermissionError:
        # Everything is rolled back: the record is only changed by someone who may publish it.
        raise CannotAccept(
            "Accepting publishes the object's record, which your account may not do: ask a "
            "Collection editor to accept it."
        ) from None
    identification.refresh_from_db()
    return identification


def _accept(identification: Identification, value: str, acceptance: Acceptance, user) -> None:
    with transaction.atomic():
        obj = CollectionObject.objects.select_for_update().get(pk=identification.object_id)
        draft = obj.get_latest_revision_as_object() if obj.has_unpublished_changes else None
        change = _change_for(identification.kind, value, acceptance)
        if change is not None:
            change(obj)
            revision = obj.save_revision(user=user, log_action=True)
            revision.publish(user=user)
            if draft is not None:
                # The draft's own edits stay, with the accepted fact added.
                change(draft)
                draft.save_revision(user=user, log_action=True)
        Identification.objects.filter(pk=identification.pk).update(
            status=Status.ACCEPTED,
            decided_at=timezone.now(),
            decided_by=user,
            applied_value=value,
            decline_reason="",
        )
        # The object's page shows what the public helped identify: its pages, not all.
        records_changed.send(sender=CollectionObject, pks=[obj.pk])


def _change_for(kind: str, value: str, acceptance: Acceptance):
    """A function that applies the fact to an object in memory (the live one, then
    any draft), or None for a correction, which staff make by editing the record."""
    if kind == Kind.PERSON:
        maker = _maker(value)
        role = acceptance.role.strip()[:100] or "pictured"

        def add_person(obj):
            if not any(m.maker_id == maker.pk and m.role == role for m in obj.object_makers.all()):
                obj.object_makers.add(ObjectMaker(maker=maker, role=role))

        return add_person
    if kind == Kind.PRODUCTION:
        production = (
            acceptance.production
            or Production.objects.filter(title__iexact=value, date_display="").first()
            or Production.objects.create(title=value[:255])
        )

        def set_production(obj):
            obj.production = production

        return set_production
    if kind == Kind.DATE:
        years = [int(year) for year in _YEAR.findall(value)]

        def set_date(obj):
            obj.date_display = value[:100]
            if years:
                obj.date_earliest, obj.date_latest = min(years), max(years)

        return set_date
    if kind == Kind.PLACE:
        place = Place.objects.filter(name__iexact=value).first() or Place.objects.create(
            name=value[:255]
        )

        def add_place(obj):
            obj.places.add(place)

        return add_place
    return None


def _maker(name: str) -> Maker:
    return Maker.objects.filter(name__iexact=name).first() or Maker.objects.create(
        name=name[:255], kind=Maker.Kind.PERSON
    )


def identification_decline(*, identification: Identification, reason: str, user) -> Identification:
    """Decline with a reason, which the contributor reads through their private link."""
    if not identification.is_pending:
        raise CannotAccept("This suggestion was already decided.")
    reason = reason.strip()
    if not reason:
        raise CannotAccept("Write the reason: the contributor reads it through their link.")
    Identification.objects.filter(pk=identification.pk).update(
        status=Status.DECLINED, decided_at=timezone.now(), decided_by=user, decline_reason=reason
    )
    identification.refresh_from_db()
    return identification
