"""The "Help us identify" form's suggestions: what visitors tell staff about an
object (a person in it, its production, its date, a place, a correction) and
what staff did with it.

Suggestions are never public. Staff accept one into the catalogue record
(identifications.services) or decline it with a reason the contributor reads
through their private link. An accepted one leaves public provenance on the
object page: the fact, and that a member of the public helped, with the year;
never who. The contributor's email lives in `IdentificationContact`, which no
public page, API or dump reads.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    PERSON = "person", "A person in it"
    PRODUCTION = "production", "The production it belongs to"
    DATE = "date", "When it is from"
    PLACE = "place", "A place"
    CORRECTION = "correction", "A correction to the record"


class Identification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        ACCEPTED = "accepted", "Accepted into the record"
        DECLINED = "declined", "Declined"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    object = models.ForeignKey(
        "objects.CollectionObject", on_delete=models.CASCADE, related_name="identifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(
        "what they told us", max_length=255, help_text="A name, a show, a date or a place."
    )
    details = models.TextField("how they know, or more", blank=True)
    source = models.CharField(
        max_length=500, blank=True, help_text="Where it can be checked (optional)."
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )

    # Consent and where it came from.
    consented_at = models.DateTimeField()
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    verified = models.BooleanField(
        default=False, help_text="The sender's browser solved the anti-spam challenge."
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    # The decision.
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_value = models.CharField("what went into the record", max_length=255, blank=True)
    decline_reason = models.TextField(blank=True)
    is_sample_content = models.BooleanField(
        default=False, help_text="Made by the demo loader; labelled as sample content on the site."
    )

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            # The object page's provenance reads accepted ones by object.
            models.Index(
                fields=["object", "decided_at"],
                name="identification_accepted",
                condition=Q(status="accepted"),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class IdentificationContact(models.Model):
    """How to reach a contributor: never shown publicly, nor in the admin's lists."""

    identification = models.OneToOneField(
        Identification, on_delete=models.CASCADE, related_name="contact"
    )
    email = models.EmailField(db_index=True)

    def __str__(self):
        return f"Contact for identification {self.identification_id}"
