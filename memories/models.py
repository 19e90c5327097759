"""Community memories: what people remember of BAC's shows and building.

A memory is created only through memories.services (the public form or staff
entering one gathered in person), always as pending. Moderators approve or
reject it; only approved memories are ever public. The contributor's email
lives in `MemoryContact`, a separate table that no public selector reads.
Withdrawal deletes the memory and its files and leaves a content-free
`MemoryWithdrawal` row.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin

from bac_collection.storage import private_storage
from foundation.view_restrictions import in_public_section

# The image collection contributors' photos are filed in (made by migration 0002).
PHOTO_COLLECTION = "Community memories"


class ConsentWording(models.Model):
    """The consent text a contributor agrees to. Versions are never rewritten once
    memories were given under them: staff add a new version instead."""

    version = models.PositiveIntegerField(unique=True, editable=False)
    text = models.TextField(
        help_text="Shown above the consent boxes on the form. "
        "Plain text; blank lines make paragraphs."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"Consent wording, version {self.version}"

    def save(self, *args, **kwargs):
        if self.version is None:
            latest = ConsentWording.objects.aggregate(models.Max("version"))["version__max"]
            self.version = (latest or 0) + 1
        super().save(*args, **kwargs)


class Relationship(models.TextChoices):
    AUDIENCE = "audience", "I was in the audience"
    PERFORMER = "performer", "I performed or made work"
    STAFF = "staff", "I worked at BAC"
    VOLUNTEER = "volunteer", "I volunteered"
    NEIGHBOUR = "neighbour", "I live or lived nearby"
    OTHER = "other", "Something else"


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", "Creative Commons Attribution 4.0 (others may reuse it, crediting me)"
    SITE_ONLY = "site-only", "This site only"


class AgeGroup(models.TextChoices):
    ADULT = "13-or-over", "13 or over"
    UNDER_13 = "under-13", "Under 13"


class ConsentMethod(models.TextChoices):
    ONLINE = "online", "Online form"
    IN_PERSON = "in-person", "In person (paper form)"


class Memory(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Published"
        REJECTED = "rejected", "Rejected"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )

    # What they remember.
    text = models.TextField("memory")
    when_happened = models.CharField("when it happened", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    display_name = models.CharField(
        "name to show", max_length=100, blank=True, help_text="Blank shows “Anonymous”."
    )
    relationship = models.CharField(max_length=16, choices=Relationship.choices)

    # What it is about (none of these: a memory of BAC in general).
    object = models.ForeignKey(
        "objects.CollectionObject",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memories",
    )
    production = models.ForeignKey(
        "objects.Production",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memories",
    )
    # The call for memories it answers, if any (calls/): its page lists it.
    call = models.ForeignKey(
        "calls.CallPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        verbose_name="call for memories",
    )
    featured_at = models.DateTimeField(
        null=True, blank=True, help_text="Featured at the top of its call's page since then."
    )

    # Optional media. The photo is an archive image: its public renditions are
    # made by the image pipeline without EXIF/GPS; the original is never served.
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_description = models.CharField(
        max_length=255, blank=True, help_text="Alternative text for people who cannot see it."
    )
    # Stored privately (no URL leads to it) with its tags already removed; served
    # by memories.views to whoever may hear it.
    audio = models.FileField(upload_to="memories/audio/", blank=True, storage=private_storage)
    audio_content_type = models.CharField(max_length=40, blank=True)
    audio_seconds = models.PositiveIntegerField(null=True, blank=True)
    transcript = models.TextField(
        blank=True, help_text="What is said in the audio recording, for people who cannot hear it."
    )

    # Consent, as given.
    consent_wording = models.ForeignKey(ConsentWording, on_delete=models.PROTECT)
    consented_at = models.DateTimeField()
    consent_method = models.CharField(
        max_length=16, choices=ConsentMethod.choices, default=ConsentMethod.ONLINE
    )
    licence = models.CharField(max_length=16, choices=Licence.choices)
    may_contact = models.BooleanField("staff may contact them", default=False)
    email_updates = models.BooleanField(
        "emails about it",
        default=False,
        help_text="They asked to hear when it is published, replied to or featured.",
    )
    age_group = models.CharField(max_length=16, choices=AgeGroup.choices)
    guardian_name = models.CharField(
        "parent or guardian", max_length=100, blank=True, help_text="For contributors under 13."
    )
    paper_form_reference = models.CharField(max_length=100, blank=True)
    consent_witness = models.CharField("consent witnessed by", max_length=100, blank=True)

    # Where it came from and how far it has got.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    verified = models.BooleanField(
        default=False,
        help_text="The sender's browser solved the anti-spam challenge "
        "(without JavaScript it cannot: unverified).",
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    rejection_reason = models.TextField(blank=True)
    report_count = models.PositiveIntegerField(default=0)
    is_sample_content = models.BooleanField(
        default=False, help_text="Demo content (`make run`), labelled as a sample on the site."
    )
    # Jobs done after commit; a beat sweep retries any left undone (broker down).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    moderators_notified_at = models.DateTimeField(null=True, blank=True)
    decision_sent_at = models.DateTimeField(null=True, blank=True)
    published_sent_at = models.DateTimeField(null=True, blank=True)
    featured_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "memories"
        indexes = [
            models.Index(
                fields=["object", "-approved_at"],
                name="memory_object_approved",
                condition=Q(status="approved"),
            ),
            models.Index(
                fields=["production", "-approved_at"],
                name="memory_production_approved",
                condition=Q(status="approved"),
            ),
        ]

    def __str__(self):
        excerpt = " ".join(self.text.split())[:60]
        return f"{self.attribution}: {excerpt}"

    @property
    def attribution(self) -> str:
        return self.display_name or "Anonymous"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def shown_call(self):
        """The call it answers where it may be named: live, and in no restricted section
        (else its card and the open data say nothing of it)."""
        call = self.call if self.call_id else None
        if call is None or not call.live or not in_public_section(call):
            return None
        return call

    @property
    def subject(self):
        """The object or production this memory is about, if any."""
        return self.object or self.production

    @property
    def public_replies(self) -> list:
        """Its published replies, oldest first (prefetched by the public selectors)."""
        if hasattr(self, "live_replies"):
            return self.live_replies
        return list(self.replies.filter(live=True).select_related("author"))


class MemoryContact(models.Model):
    """How to reach a contributor: never shown publicly, never in search or exports of others."""

    memory = models.OneToOneField(Memory, on_delete=models.CASCADE, related_name="contact")
    email = models.EmailField(blank=True, db_index=True)

    def __str__(self):
        return f"Contact for memory {self.memory_id}"


class MemoryReport(models.Model):
    """A visitor's "report this memory". One per visitor (hashed address) and memory."""

    memory = models.ForeignKey(Memory, on_delete=models.CASCADE, related_name="reports")
    reporter = models.CharField(max_length=64, help_text="A keyed hash of the visitor's address.")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["memory", "reporter"], name="one_report_per_visitor")
        ]

    def __str__(self):
        return f"Report on memory {self.memory_id}"


class MemoryModerationEvent(models.Model):
    """Who did what to a memory, and why. Privacy edits record which fields changed,
    not the removed words (keeping those would keep the very data removed)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        EDITED_BY_CONTRIBUTOR = "contributor-edit", "Edited by the contributor"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        EDITED_FOR_PRIVACY = "privacy-edit", "Edited by a moderator"
        REPORTED = "reported", "Returned to review after reports"

    memory = models.ForeignKey(Memory, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_fields = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%d %b %Y})"


class MemoryWithdrawal(models.Model):
    """All that is left of a withdrawn memory: that it existed, and when it went."""

    public_id = models.UUIDField(unique=True)
    submitted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-withdrawn_at"]

    def __str__(self):
        return f"Memory withdrawn on {self.withdrawn_at:%d %B %Y}"


class MemoryReply(DraftStateMixin, RevisionMixin, models.Model):
    """A public reply from BAC staff under a memory, signed with a staff profile's
    public name and role (stories.StaffProfile), never a login or an email.

    Edited as a snippet with drafts and revisions: Curators and Moderators write,
    only Moderators publish (docs/roles.md). Public once published and its memory
    is approved.
    """

    memory = models.ForeignKey(Memory, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        "stories.StaffProfile",
        on_delete=models.PROTECT,
        related_name="memory_replies",
        verbose_name="signed as",
        help_text="The public name and role shown with the reply, e.g. "
        "“Sam Jones, Archivist, Battersea Arts Centre”.",
    )
    text = models.TextField("reply", max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The contributor's "BAC replied" email, claimed once (memories.services).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="memory_reply")

    panels = [FieldPanel("memory"), FieldPanel("author"), FieldPanel("text")]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "reply to a memory"
        verbose_name_plural = "replies to memories"

    def __str__(self):
        excerpt = " ".join(self.text.split())[:60]
        return f"Reply to {self.memory.attribution}: {excerpt}"

    @property
    def revisions(self):
        return self._revisions

    def with_content_json(self, content):
        """A revision restores what staff wrote, never the email claim: publishing an
        older revision must not make the contributor's email look unsent."""
        reply = super().with_content_json(content)
        # Read from the table: `self` may be an instance loaded before the claim.
        stored = MemoryReply.objects.filter(pk=self.pk).values_list("notified_at", flat=True)
        reply.notified_at = stored.first() if self.pk else None
        return reply

    def clean(self):
        super().clean()
        if self.memory_id and self.memory.status != Memory.Status.APPROVED:
            raise ValidationError(
                {"memory": "Replies go under published memories: approve this memory first."}
            )

    @property
    def signature(self) -> str:
        return f"{self.author.name}, {self.author.role}" if self.author.role else self.author.name
