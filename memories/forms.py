"""The public "Share a memory" form and the contributor's own edit form.

Every refusal is attached to the field it concerns, in words that say what to
do next. Spam defences (honeypot, signed start time, link limit, ALTCHA) live
here too, so a refused form keeps everything the person typed.
"""

import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from images.validation import validate_image_file

from .audio import CleanAudio, audio_upload_clean
from .form_defences import SpamDefences
from .models import AgeGroup, Licence, Memory, MemoryContact, Relationship

LINK = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|net|org|ru|xyz|info|io|co)\b", re.I)
# Embeddings, overrides, isolates and direction marks: in a name they can reverse the
# text around it on the page ("Maggie" shown as "eiggaM ..."). Right-to-left letters
# need none of them to show correctly.
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
)
# The contact table's column: a longer address would pass the form and fail the insert.
EMAIL_MAX_LENGTH = MemoryContact._meta.get_field("email").max_length


def _invisible(char: str) -> bool:
    """Whitespace, control and format characters (zero-width spaces and joiners,
    the byte order mark, the word joiner...): nothing a reader can see."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


class VisibleCharField(forms.CharField):
    """Text that counts as empty unless something in it can be seen, so a memory
    (or a name) of only zero-width characters is "required" like an empty one.
    Short fields shown beside memories also lose their bidirectional controls."""

    def __init__(self, *, keep_bidi_controls=False, **kwargs):
        self.keep_bidi_controls = keep_bidi_controls
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not self.keep_bidi_controls:
            value = value.translate(BIDI_CONTROLS).strip()
        if all(_invisible(char) for char in value):
            return self.empty_value
        return value


def _text_max() -> int:
    return settings.MEMORIES_TEXT_MAX_CHARS


class MemoryTextMixin(forms.Form):
    """The fields a contributor can change later as well as when first sharing."""

    # Long text keeps its direction marks: a paragraph mixing English and Arabic needs them.
    text = VisibleCharField(
        keep_bidi_controls=True,
        label="Your memory",
        widget=forms.Textarea(attrs={"rows": 8, "data-counter": "true"}),
        strip=True,
        error_messages={"required": "Write your memory in the box: it can be a sentence or two."},
    )
    when_happened = VisibleCharField(
        label="When did it happen? (optional)",
        help_text="A year, or as you would say it: “the winter of 1998”.",
        max_length=100,
        required=False,
    )
    display_name = VisibleCharField(
        label="Your name as it should appear (optional)",
        help_text="Leave this empty to appear as “Anonymous”.",
        max_length=100,
        required=False,
    )
    relationship = forms.ChoiceField(
        label="How do you know BAC?",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you know BAC (or “Something else”)."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = _text_max()
        self.fields["text"].max_length = limit
        self.fields["text"].widget.attrs["maxlength"] = limit
        self.fields["text"].help_text = f"Up to {limit:,} characters."
        self.fields["text"].validators.append(_at_most_chars(limit))

    def clean_text(self):
        text = self.cleaned_data["text"]
        links = len(LINK.findall(text))
        allowed = settings.MEMORIES_MAX_LINKS
        if links > allowed:
            raise ValidationError(
                f"Your memory has {links} web addresses; at most {allowed} are allowed. "
                "Remove some and send it again.",
                code="too_many_links",
            )
        return text


def _at_most_chars(limit):
    def check(value):
        if len(value) > limit:
            raise ValidationError(
                f"Your memory is {len(value):,} characters long; the limit is {limit:,}. "
                "Shorten it a little and send it again.",
                code="too_long",
            )

    return check


class MemoryForm(SpamDefences, MemoryTextMixin):
    email = forms.EmailField(
        label="Your email address",
        help_text="We send you a private link to change or withdraw your memory. "
        "It is never shown on the site.",
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": "Enter your email address so we can send you your private link.",
            "invalid": "Enter an email address like name@example.com.",
            "max_length": f"Email addresses can be at most {EMAIL_MAX_LENGTH} characters long: "
            "enter a shorter one.",
        },
    )
    photo = forms.FileField(
        label="A photo (optional)",
        help_text="JPEG, PNG, WebP, AVIF, GIF or TIFF. Location and camera details are removed "
        "before it is shown.",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    photo_description = VisibleCharField(
        label="Describe the photo for people who cannot see it (optional)",
        max_length=255,
        required=False,
    )
    audio = forms.FileField(
        label="A voice recording (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )
    licence = forms.ChoiceField(
        label="How may your memory be used?",
        choices=Licence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how your memory may be used."},
    )
    consent_publish = forms.BooleanField(
        label="I agree to BAC publishing my memory on this site, as described above.",
        error_messages={
            "required": "Tick this box to let us publish your memory: we cannot share it without "
            "your permission."
        },
    )
    may_contact = forms.BooleanField(
        label="BAC staff may email me about my memory (optional).", required=False
    )
    email_updates = forms.BooleanField(
        label="Email me when my memory is published, when the BAC team replies to it, or when "
        "it is featured (optional).",
        help_text="Every email has a one-click unsubscribe link, and your private link "
        "lets you change this at any time.",
        required=False,
    )
    age_group = forms.ChoiceField(
        label="How old are you?",
        choices=AgeGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us whether you are 13 or over."},
    )
    guardian_name = VisibleCharField(
        label="Your parent or guardian's name", max_length=100, required=False
    )
    guardian_confirmed = forms.BooleanField(
        label="My parent or guardian has read this form and agrees to my memory being shared.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.MEMORIES_AUDIO_MAX_SECONDS // 60
        self.fields["audio"].help_text = (
            f"MP3, M4A, Ogg or FLAC, up to {limit} minutes. Our staff may type out what you say "
            "so that everyone can read it."
        )
        self.fields[
            "photo"
        ].help_text += f" Up to {filesizeformat(settings.MEMORIES_PHOTO_MAX_BYTES)}."
        self.clean_audio_result: CleanAudio | None = None

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        limit = settings.MEMORIES_PHOTO_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"The photo is too big ({filesizeformat(upload.size)}); the limit is "
                f"{filesizeformat(limit)}. Send a smaller copy (phones offer “medium” size).",
                code="file_too_large",
            )
        # The shared check sniffs the bytes and reads only the header.
        header = validate_image_file(upload)
        if header.width * header.height > settings.MEMORIES_PHOTO_MAX_PIXELS:
            raise ValidationError(
                f"The photo has {header.width * header.height / 1e6:.0f} megapixels; the limit is "
                f"{settings.MEMORIES_PHOTO_MAX_PIXELS / 1e6:.0f}. Send a smaller copy.",
                code="file_too_many_pixels",
            )
        return upload

    def clean_audio(self):
        upload = self.cleaned_data.get("audio")
        if not upload:
            return None
        self.clean_audio_result = audio_upload_clean(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("age_group") == AgeGroup.UNDER_13:
            if not cleaned.get("guardian_confirmed"):
                self.add_error(
                    "guardian_confirmed",
                    ValidationError(
                        "You told us you are under 13. In the UK, a parent or guardian must agree "
                        "before we can keep your memory: ask them to read this form and tick this "
                        "box.",
                        code="guardian_required",
                    ),
                )
            if not cleaned.get("guardian_name", "").strip():
                self.add_error(
                    "guardian_name",
                    ValidationError(
                        "Write your parent or guardian's name.", code="guardian_name_required"
                    ),
                )
        if cleaned.get("photo_description") and not cleaned.get("photo"):
            self.add_error(
                "photo",
                ValidationError(
                    "You described a photo but did not choose one: choose it again (for your "
                    "safety, browsers forget chosen files when a form comes back).",
                    code="photo_missing",
                ),
            )
        return cleaned


class ContributorEditForm(MemoryTextMixin):
    """What a contributor can change through their private link."""

    @classmethod
    def for_memory(cls, memory: Memory, data=None):
        return cls(
            data,
            initial={
                "text": memory.text,
                "when_happened": memory.when_happened,
                "display_name": memory.display_name,
                "relationship": memory.relationship,
            },
        )


class LostLinkForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        help_text="The address you gave when you shared your memory.",
        error_messages={
            "required": "Enter the email address you gave when you shared your memory.",
            "invalid": "Enter an email address like name@example.com.",
        },
    )


class ReportForm(forms.Form):
    reason = VisibleCharField(
        label="What is wrong with this memory? (optional)", max_length=500, required=False
    )
