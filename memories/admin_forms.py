"""Forms for staff in the Wagtail admin: entering a memory gathered in person,
editing one for privacy, editing consent wording."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput
from wagtail.images.widgets import AdminImageChooser

from .audio import audio_upload_clean
from .forms import EMAIL_MAX_LENGTH
from .models import AgeGroup, ConsentWording, Memory


class InPersonMemoryForm(WagtailAdminModelForm):
    """A memory written down at a reminiscence session, care home or school visit,
    with how its consent was given on paper."""

    email = forms.EmailField(
        required=False,
        max_length=EMAIL_MAX_LENGTH,
        help_text="Optional: we email the contributor their private link (never shown publicly).",
    )
    audio_file = forms.FileField(
        label="Voice recording", required=False, help_text="MP3, M4A, Ogg or FLAC."
    )
    consent_date = forms.DateField(
        widget=AdminDateInput, help_text="The date on the signed paper consent form."
    )

    class Meta:
        model = Memory
        fields = [
            "text",
            "when_happened",
            "display_name",
            "relationship",
            "object",
            "production",
            "photo",
            "photo_description",
            "transcript",
            "call",
            "licence",
            "may_contact",
            "email_updates",
            "age_group",
            "guardian_name",
            "paper_form_reference",
            "consent_witness",
        ]
        widgets = {"photo": AdminImageChooser}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("paper_form_reference", "consent_witness"):
            self.fields[name].required = True
        self.fields["object"].queryset = self.fields["object"].queryset.order_by("title")
        self.clean_audio_result = None

    def clean_audio_file(self):
        upload = self.cleaned_data.get("audio_file")
        if upload:
            self.clean_audio_result = audio_upload_clean(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("age_group") == AgeGroup.UNDER_13 and not cleaned.get("guardian_name"):
            self.add_error(
                "guardian_name",
                "Contributors under 13 need a parent or guardian's consent: give their name, "
                "as written on the paper form.",
            )
        return cleaned


class ModeratorEditForm(WagtailAdminModelForm):
    """Edit what is published (remove a phone number, a surname); the change is recorded."""

    change_note = forms.CharField(
        label="Why you changed it",
        required=False,
        help_text="Recorded with your name, e.g. “Removed a phone number”. The words you removed "
        "are not kept.",
    )

    class Meta:
        model = Memory
        fields = ["text", "when_happened", "display_name", "photo_description", "transcript"]


class ConsentWordingForm(WagtailAdminModelForm):
    class Meta:
        model = ConsentWording
        fields = ["text"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and Memory.objects.filter(consent_wording=self.instance).exists():
            raise ValidationError(
                "Memories have been shared under this wording, so it cannot change. "
                "Add a new version instead: new memories will be given under it."
            )
        return cleaned
