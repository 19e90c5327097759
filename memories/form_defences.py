"""Spam defences shared by the public forms that take the public's words
(memories, identifications): a honeypot, a signed start time, an idempotency
key and ALTCHA's invisible proof of work.

A form mixes `SpamDefences` in before `forms.Form`; its template renders
`started`, `idempotency_key`, `website` (in a hidden trap) and `altcha`.
"""

import uuid

from altcha_django import AltchaField, AltchaMixin
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from .links import form_started_age, form_started_stamp

SPAM_FIELDS = ("website", "started", "idempotency_key", "altcha")


class SpamDefences(AltchaMixin, forms.Form):
    website = forms.CharField(
        label="Leave this empty", required=False, widget=forms.TextInput(attrs={"tabindex": "-1"})
    )
    started = forms.CharField(widget=forms.HiddenInput)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    altcha = AltchaField(required=False, display="invisible", auto="onload")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Last, after the person's own fields: their errors are listed last too.
        for name in SPAM_FIELDS:
            self.fields[name] = self.fields.pop(name)
        if not self.is_bound:
            self.initial.setdefault("started", form_started_stamp())
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def refresh_spam_fields(self):
        """After a refusal, hand out a fresh start time (the key stays: same attempt)."""
        data = self.data.copy()
        data["started"] = form_started_stamp()
        self.data = data

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(
                "This field is a trap for automatic spam programs: please leave it empty.",
                code="honeypot",
            )
        return ""

    def clean_started(self):
        age = form_started_age(self.cleaned_data["started"])
        if age is None:
            raise ValidationError(
                "This form could not be checked. Send it again from this page.", code="tampered"
            )
        if age < settings.MEMORIES_FORM_MIN_SECONDS:
            raise ValidationError(
                "That was sent faster than anyone can type. Check what you wrote and send it "
                "again.",
                code="too_fast",
            )
        if age > settings.MEMORIES_FORM_MAX_AGE_SECONDS:
            raise ValidationError(
                "This form was opened a long time ago. Check what you wrote and send it again.",
                code="stale",
            )
        return self.cleaned_data["started"]

    @property
    def altcha_verified(self) -> bool:
        return bool(self.cleaned_data.get("altcha"))


def submitted_before(request, model):
    """The `model` row an earlier sending of this very form made (same idempotency
    key), or None: a second click or a resent form then shows the first's thanks."""
    try:
        key = uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None
    return model.objects.filter(idempotency_key=key).first()
