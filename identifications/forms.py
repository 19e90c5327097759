"""The public "Help us identify" form and the staff review form.

Refusals are attached to the field they concern, in words that say what to do;
the spam defences (honeypot, signed start time, idempotency key, ALTCHA) are
the memory form's own (memories/form_defences.py), so a refused form keeps
everything the person typed.
"""

import copy

from django import forms
from django.core.exceptions import ValidationError

from memories.form_defences import SpamDefences
from memories.forms import LINK, MemoryForm, VisibleCharField
from objects.models import Production

from .models import Identification, Kind

DETAILS_MAX = 2000
SOURCE_MAX = Identification._meta.get_field("source").max_length
VALUE_MAX = Identification._meta.get_field("value").max_length
# More than this many web addresses in the details reads as spam; the source may hold one.
DETAILS_MAX_LINKS = 2


def _length_messages(what: str, limit: int) -> dict:
    return {
        "max_length": f"{what} can be at most {limit:,} characters long (it has "
        "%(show_value)d): shorten it and send it again."
    }


class IdentificationForm(SpamDefences, forms.Form):
    kind = forms.ChoiceField(
        label="What can you tell us?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you can tell us about this object."},
    )
    value = VisibleCharField(
        label="Your answer",
        help_text="A name, a show, a year or a place, or what is wrong in the record.",
        max_length=VALUE_MAX,
        error_messages={
            "required": "Write your answer: a name, a show, a year or a place.",
            **_length_messages("Your answer", VALUE_MAX),
        },
    )
    details = VisibleCharField(
        keep_bidi_controls=True,
        label="How do you know, or anything more (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DETAILS_MAX,
        required=False,
        error_messages=_length_messages("What you told us", DETAILS_MAX),
    )
    source = VisibleCharField(
        label="Where can we check it? (optional)",
        help_text="A book, a programme, a web page, or “I was there”.",
        max_length=SOURCE_MAX,
        required=False,
        error_messages=_length_messages("The source", SOURCE_MAX),
    )
    # The memory form's address field (its limits and messages), with our own hint.
    email = copy.deepcopy(MemoryForm.base_fields["email"])
    email.help_text = (
        "We send you a private link to see what we decided. It is never shown on the site."
    )
    consent = forms.BooleanField(
        label="I agree to BAC keeping what I sent to improve the catalogue, and my email "
        "address to send me my private link.",
        error_messages={
            "required": "Tick this box to let us keep what you sent: we cannot use it without "
            "your permission."
        },
    )

    def clean_details(self):
        details = self.cleaned_data["details"]
        links = len(LINK.findall(details))
        if links > DETAILS_MAX_LINKS:
            raise ValidationError(
                f"What you told us has {links} web addresses; at most {DETAILS_MAX_LINKS} are "
                "allowed. Put the most useful one under “Where can we check it?”.",
                code="too_many_links",
            )
        return details


class AcceptForm(forms.Form):
    """What staff put into the record, prefilled with the visitor's answer."""

    value = forms.CharField(label="What goes into the record", max_length=VALUE_MAX)
    production = forms.ModelChoiceField(
        label="Production",
        queryset=Production.objects.order_by("title", "date_display"),
        required=False,
        help_text="Choose the show. Leave empty to add a new production with the name above.",
    )
    role = forms.CharField(
        label="Their part",
        max_length=100,
        required=False,
        help_text="As the record shows it beside their name: “pictured”, “performer”, “designer”.",
    )

    @classmethod
    def for_identification(cls, identification: Identification, data=None):
        initial = {"value": identification.value, "role": "pictured"}
        if identification.kind == Kind.PRODUCTION:
            initial["production"] = (
                Production.objects.filter(
                    title__icontains=identification.value.split("(")[0].strip()
                )
                .order_by("-start_date")
                .first()
            )
        form = cls(data, initial=initial)
        if identification.kind != Kind.PRODUCTION:
            del form.fields["production"]
        if identification.kind != Kind.PERSON:
            del form.fields["role"]
        if identification.kind == Kind.CORRECTION:
            form.fields["value"].label = "What you changed in the record"
            form.fields[
                "value"
            ].help_text = "Edit the object first; this summary is kept with the suggestion."
        return form
