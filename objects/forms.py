"""The browse page's GET form: every parameter validated, bad ones ignored."""

from django import forms

from .models import Production
from .selectors import DEFAULT_SORT, BrowseFilters, decade_facets, object_type_facets


class BrowseForm(forms.Form):
    SORT_CHOICES = [
        ("date", "Date, oldest first"),
        ("-date", "Date, newest first"),
        ("title", "Title, A to Z"),
        ("-title", "Title, Z to A"),
    ]

    object_type = forms.ChoiceField(label="Type", required=False)
    decade = forms.TypedChoiceField(label="Decade", required=False, coerce=int, empty_value=None)
    production = forms.ModelChoiceField(
        label="Production",
        queryset=Production.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any production",
        # Rendered as a hidden field: it is set by the links on production pages
        # and object cards, not picked from a list of every show ever staged.
        widget=forms.HiddenInput,
    )
    has_image = forms.BooleanField(label="Only objects with images", required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any type")] + [
            (value, f"{label} ({count:,})") for value, label, count in object_type_facets()
        ]
        self.fields["decade"].choices = [("", "Any decade")] + [
            (str(decade), f"{decade}s ({count:,})") for decade, count in decade_facets()
        ]

    def filters(self) -> BrowseFilters:
        """The valid parameters as filters; invalid or unknown values are dropped
        (a stale bookmark or a mangled link still shows the collection)."""
        self.is_valid()  # fills cleaned_data with the fields that passed validation
        clean = self.cleaned_data
        return BrowseFilters(
            object_type=clean.get("object_type") or "",
            decade=clean.get("decade"),
            production=clean.get("production"),
            has_image=bool(clean.get("has_image")),
            sort=clean.get("sort") or DEFAULT_SORT,
        )
