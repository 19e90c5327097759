"""Writes for memories: sharing, editing, withdrawing, moderating, reporting.

Nothing is lost: a memory is committed first, and its emails are queued only
after the commit. If the broker is down the queueing is logged and skipped;
the beat sweep (`memories_sweep`) finds the jobs still undone and queues them.
Emails record when they were sent, and a job first claims its row, so a job
run twice (a sweep racing a slow worker) sends once.
"""

import base64
import logging
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from foundation.queueing import enqueue
from foundation.signals import records_changed
from images.models import ArchiveImage
from images.services import archive_image_delete_renditions, archive_image_renew_renditions
from images.tasks import archive_image_queue_processing

from . import updates
from .audio import CleanAudio
from .models import (
    PHOTO_COLLECTION,
    AgeGroup,
    ConsentMethod,
    ConsentWording,
    Memory,
    MemoryContact,
    MemoryModerationEvent,
    MemoryReport,
    MemoryWithdrawal,
)
from .tasks import notify_moderators_task, send_confirmation_task, send_decision_task

logger = logging.getLogger(__name__)

Action = MemoryModerationEvent.Action
Status = Memory.Status
# Status changes below use update() (no post_save): they send records_changed.
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class Submission:
    """A memory as it arrives, already validated (memories.forms or the admin)."""

    text: str
    relationship: str
    licence: str
    age_group: str
    email: str = ""
    when_happened: str = ""
    display_name: str = ""
    may_contact: bool = False
    email_updates: bool = False
    guardian_name: str = ""
    object_id: int | None = None
    production_id: int | None = None
    call_id: int | None = None
    photo_upload: object | None = None  # an uploaded file already checked by the form
    photo_id: int | None = None  # or an archive image staff chose
    photo_description: str = ""
    audio: CleanAudio | None = None
    transcript: str = ""
    verified: bool = False
    idempotency_key: uuid.UUID | None = None
    consent_method: str = ConsentMethod.ONLINE
    consented_at: object | None = None  # a datetime; now when not given
    paper_form_reference: str = ""
    consent_witness: str = ""

    # The contributor's own answers, named alike in the public form and the
    # admin's in-person form.
    ANSWERS = (
        "text", "when_happened", "display_name", "relationship", "email", "licence",
        "may_contact", "email_updates", "age_group", "guardian_name", "photo_description",
    )  # fmt: skip

    @classmethod
    def from_answers(cls, cleaned_data: dict, **details) -> "Submission":
        """A submission from a form's cleaned answers plus what the form adds
        (what the memory is about, files, consent evidence)."""
        return cls(**{name: cleaned_data[name] for name in cls.ANSWERS}, **details)


def consent_wording_current() -> ConsentWording:
    wording = ConsentWording.objects.order_by("-version").first()
    if wording is None:  # the data migration creates version 1; staff may not delete all
        raise ConsentWording.DoesNotExist("No consent wording: add one in the admin.")
    return wording


def memory_submit(*, submission: Submission) -> tuple[Memory, bool]:
    """Store a new memory as pending; returns (memory, created).

    The same idempotency key always gives back the first memory made with it,
    so a double click or a resent form never makes a duplicate.
    """
    key = submission.idempotency_key
    if key is not None and (existing := _memory_by_key(key)) is not None:
        return existing, False
    stored_files: list = []
    try:
        with transaction.atomic():
            memory = _memory_create(submission=submission, stored_files=stored_files)
    except IntegrityError:
        # A simultaneous submission with the same key won the race.
        for field_file in stored_files:
            field_file.storage.delete(field_file.name)
        existing = _memory_by_key(key) if key else None
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(lambda: memory_queue_jobs(memory_id=memory.pk))
    return memory, True


def _memory_by_key(key: uuid.UUID) -> Memory | None:
    return Memory.objects.filter(idempotency_key=key).first()


def _memory_create(*, submission: Submission, stored_files: list) -> Memory:
    public_id = uuid.uuid4()
    now = timezone.now()
    memory = Memory(
        public_id=public_id,
        text=submission.text,
        when_happened=submission.when_happened,
        year=_year(submission.when_happened),
        display_name=submission.display_name,
        relationship=submission.relationship,
        object_id=submission.object_id,
        production_id=submission.production_id,
        call_id=submission.call_id,
        photo_description=submission.photo_description,
        transcript=submission.transcript,
        consent_wording=consent_wording_current(),
        consented_at=submission.consented_at or now,
        consent_method=submission.consent_method,
        licence=submission.licence,
        may_contact=submission.may_contact,
        # Emails need an address to go to.
        email_updates=submission.email_updates and bool(submission.email.strip()),
        age_group=submission.age_group,
        guardian_name=submission.guardian_name if submission.age_group == AgeGroup.UNDER_13 else "",
        paper_form_reference=submission.paper_form_reference,
        consent_witness=submission.consent_witness,
        idempotency_key=submission.idempotency_key,
        verified=submission.verified,
    )
    if submission.photo_upload is not None:
        memory.photo = _photo_create(
            upload=submission.photo_upload,
            public_id=public_id,
            description=submission.photo_description,
        )
        stored_files.append(memory.photo.file)
    elif submission.photo_id is not None:
        memory.photo_id = submission.photo_id
    if submission.audio is not None:
        name = f"{public_id.hex}.{submission.audio.extension}"
        memory.audio.save(name, ContentFile(submission.audio.data), save=False)
        memory.audio_content_type = submission.audio.content_type
        memory.audio_seconds = submission.audio.seconds
        stored_files.append(memory.audio)
    # The unique idempotency key is left to the database: a simultaneous twin's row
    # may commit between a check here and the insert (IntegrityError, handled above).
    memory.full_clean(exclude=["photo", "audio", "consent_wording"], validate_unique=False)
    memory.save()
    MemoryContact.objects.create(memory=memory, email=submission.email.strip())
    MemoryModerationEvent.objects.create(memory=memory, action=Action.SUBMITTED)
    return memory


def _year(when: str) -> int | None:
    match = _YEAR.search(when or "")
    return int(match.group(1)) if match else None


def _photo_create(*, upload, public_id: uuid.UUID, description: str) -> ArchiveImage:
    """The photo as an archive image in the memories collection. Its public
    renditions are made by the image pipeline (upright, sRGB, no EXIF or GPS);
    the original, which keeps them, is never served."""
    upload.seek(0)
    file_hash = hash_filelike(upload)
    upload.seek(0)
    image = ArchiveImage(
        title=f"Memory photo {public_id.hex[:8]}",
        description=description[:255],
        collection=Collection.objects.get(name=PHOTO_COLLECTION),
        processing_status=ArchiveImage.ProcessingStatus.PENDING,
        file_hash=file_hash,
        file_size=upload.size,
        # Unguessable rendition names from the start (not derived from the public id).
        rendition_key=ArchiveImage.new_rendition_key(),
    )
    # Never keep the contributor's file name: it may carry their name or place.
    extension = (upload.name.rsplit(".", 1)[-1] if "." in upload.name else "jpg").lower()[:5]
    image.file.save(f"memory-{public_id.hex[:12]}.{extension}", upload, save=False)
    # Processing is queued by images' post_save handler once this commits.
    image.save()
    return image


# --- Jobs after commit ---------------------------------------------------------


def memory_queue_jobs(*, memory_id: int) -> None:
    enqueue(send_confirmation_task, memory_id)
    enqueue(notify_moderators_task, memory_id)


# --- The contributor's own changes ---------------------------------------------


def memory_contributor_edit(*, memory: Memory, changes: dict) -> Memory:
    """Apply a contributor's edit; a changed memory goes back to moderation."""
    fields = [name for name, value in changes.items() if getattr(memory, name) != value]
    if not fields:
        return memory
    for name in fields:
        setattr(memory, name, changes[name])
    memory.year = _year(memory.when_happened)
    memory.status = Status.PENDING
    memory.approved_at = None
    memory.moderators_notified_at = None
    memory.full_clean(exclude=["photo", "audio", "consent_wording"])
    with transaction.atomic():
        memory.save()
        MemoryModerationEvent.objects.create(
            memory=memory, action=Action.EDITED_BY_CONTRIBUTOR, changed_fields=fields
        )
    transaction.on_commit(lambda: enqueue(notify_moderators_task, memory.pk))
    return memory


def memory_withdraw(*, memory: Memory) -> MemoryWithdrawal:
    """Remove a memory everywhere: pages, search index, photo and audio files.
    Only a content-free record that a withdrawal happened remains."""
    audio = memory.audio.name
    storage = memory.audio.storage
    with transaction.atomic():
        withdrawal = MemoryWithdrawal.objects.create(
            public_id=memory.public_id, submitted_at=memory.submitted_at
        )
        if memory.photo_id:
            # Wagtail deletes the original and every rendition file after commit.
            ArchiveImage.objects.filter(pk=memory.photo_id).delete()
        memory.delete()
        if audio:
            transaction.on_commit(lambda: storage.delete(audio))
    return withdrawal


def memory_export(*, memory: Memory) -> dict:
    """Everything the contributor gave us, and what we recorded about their consent."""
    export = {
        "memory": memory.text,
        "when_it_happened": memory.when_happened,
        "name_to_show": memory.display_name,
        "relationship_to_bac": memory.get_relationship_display(),
        "email": memory.contact.email,
        "about": str(memory.subject) if memory.subject else "",
        "status": memory.get_status_display(),
        "submitted_at": memory.submitted_at.isoformat(),
        "consent": {
            "wording_version": memory.consent_wording.version,
            "wording": memory.consent_wording.text,
            "given_at": memory.consented_at.isoformat(),
            "how": memory.get_consent_method_display(),
            "licence": memory.get_licence_display(),
            "staff_may_contact": memory.may_contact,
            "age": memory.get_age_group_display(),
            "parent_or_guardian": memory.guardian_name,
        },
        "photo": None,
        "audio": None,
        "call_for_memories": memory.call.title if memory.call_id else "",
        "emails_about_it": memory.email_updates,
        # The team's published replies, signed as on the site (never a login or email).
        "replies": [
            {"from": reply.signature, "reply": reply.text, "at": reply.created_at.isoformat()}
            for reply in memory.public_replies
        ],
    }
    if memory.photo_id:
        with memory.photo.open_file() as photo:
            data = photo.read()
        export["photo"] = {
            "description": memory.photo_description,
            "file_name": memory.photo.file.name.rsplit("/", 1)[-1],
            "base64": base64.b64encode(data).decode(),
        }
    if memory.audio:
        with memory.audio.open("rb") as audio:
            data = audio.read()
        export["audio"] = {
            "content_type": memory.audio_content_type,
            "seconds": memory.audio_seconds,
            "transcript": memory.transcript,
            "base64": base64.b64encode(data).decode(),
        }
    return export


# --- Moderation -----------------------------------------------------------------


def _status_changed(memory: Memory) -> None:
    """update() sends no signals: say so, for the search and the page cache."""
    records_changed.send(sender=Memory, pks=[memory.pk])


def _contributed_photo_id(memory: Memory) -> int | None:
    """The memory's photo if a contributor shared it. A staff-chosen archive image
    filed elsewhere is left alone: other pages may show it."""
    if memory.photo_id is None:
        return None
    photos = ArchiveImage.objects.filter(pk=memory.photo_id, collection__name=PHOTO_COLLECTION)
    return memory.photo_id if photos.exists() else None


def memory_approve(*, memory: Memory, user) -> Memory:
    with transaction.atomic():
        Memory.objects.filter(pk=memory.pk).update(
            status=Status.APPROVED, approved_at=timezone.now(), rejection_reason="", report_count=0
        )
        MemoryReport.objects.filter(memory=memory).delete()
        MemoryModerationEvent.objects.create(memory=memory, action=Action.APPROVED, user=user)
        if photo_id := _contributed_photo_id(memory):
            # Published under file names never used before, so no URL cached from an
            # earlier publication (or seen in review) outlives a later rejection.
            archive_image_renew_renditions(image_id=photo_id)
            archive_image_queue_processing(image_id=photo_id)
        _status_changed(memory)
    memory.refresh_from_db()
    # "Your memory is now public", if they asked (memories.updates), once.
    updates.queue_published(memory)
    return memory


def memory_reject(*, memory: Memory, user, reason: str) -> Memory:
    """Reject with a reason, which is emailed to the contributor after commit."""
    with transaction.atomic():
        Memory.objects.filter(pk=memory.pk).update(
            status=Status.REJECTED, approved_at=None, rejection_reason=reason, decision_sent_at=None
        )
        MemoryModerationEvent.objects.create(
            memory=memory, action=Action.REJECTED, user=user, note=reason
        )
        if photo_id := _contributed_photo_id(memory):
            # Its public files go: their URLs answer 404 from now on.
            archive_image_delete_renditions(image_id=photo_id)
        _status_changed(memory)
        transaction.on_commit(lambda: enqueue(send_decision_task, memory.pk))
    memory.refresh_from_db()
    return memory


def memory_record_moderator_edit(*, memory: Memory, user, changed_fields: list[str], note: str):
    """Record that a moderator changed a memory (for privacy), and which fields."""
    if changed_fields:
        MemoryModerationEvent.objects.create(
            memory=memory,
            action=Action.EDITED_FOR_PRIVACY,
            user=user,
            changed_fields=changed_fields,
            note=note,
        )


def memory_report(*, memory: Memory, reporter: str, reason: str = "") -> bool:
    """Count one visitor's report; enough of them put the memory back in the queue.
    Returns True when this report sent it back to review."""
    with transaction.atomic():
        _, created = MemoryReport.objects.get_or_create(
            memory=memory, reporter=reporter, defaults={"reason": reason[:500]}
        )
        if not created:
            return False
        Memory.objects.filter(pk=memory.pk).update(report_count=F("report_count") + 1)
        requeued = bool(
            Memory.objects.filter(
                pk=memory.pk,
                status=Status.APPROVED,
                report_count__gte=settings.MEMORIES_REPORTS_TO_REVIEW,
            ).update(status=Status.PENDING, approved_at=None, moderators_notified_at=None)
        )
        if requeued:
            MemoryModerationEvent.objects.create(
                memory=memory,
                action=Action.REPORTED,
                note=f"{settings.MEMORIES_REPORTS_TO_REVIEW} or more visitors reported it.",
            )
            _status_changed(memory)
            transaction.on_commit(lambda: enqueue(notify_moderators_task, memory.pk))
    return requeued
