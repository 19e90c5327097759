"""The search page's GET parameters, validated.

A bad value never produces an error page: an unknown facet value, a
malformed page number or an over-long query is dropped or clamped, and the
search runs with what is left.
"""

from django import forms

from objects.selectors import object_type_choices

from .results import FACETS, MAX_PAGE, SORTS, SearchRequest
from .text import MAX_QUERY_LENGTH, printable


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True, label="Search the collection")
    type = forms.ChoiceField(required=False, choices=object_type_choices)
    decade = forms.IntegerField(required=False, min_value=1000, max_value=2100)
    production = forms.SlugField(required=False, max_length=100)
    maker = forms.SlugField(required=False, max_length=100)
    subject = forms.SlugField(required=False, max_length=100)
    image = forms.ChoiceField(required=False, choices=[("yes", "With images"), ("no", "Without")])
    sort = forms.ChoiceField(required=False, choices=list(SORTS.items()), label="Sort by")
    page = forms.IntegerField(required=False, min_value=1)
    exact = forms.BooleanField(required=False)  # "search instead for" what was typed

    def clean_q(self):
        # Plain text: whitespace collapsed, cut to a sensible length. Quotes,
        # `*` or `AND` stay as typed and are matched as words by the backends.
        return " ".join(printable(self.cleaned_data["q"]).split())[:MAX_QUERY_LENGTH]

    def clean_decade(self):
        decade = self.cleaned_data["decade"]
        if decade is not None and decade % 10:
            raise forms.ValidationError("A decade is a year ending in 0, such as 1990.")
        return decade

    def search_request(self) -> SearchRequest:
        """The request made of the valid parameters only."""
        self.is_valid()
        data = self.cleaned_data
        filters = {name: str(data[name]) for name in FACETS if data.get(name) not in (None, "")}
        return SearchRequest(
            query=data.get("q") or "",
            filters=filters,
            sort=data.get("sort") or "relevance",
            page=min(data.get("page") or 1, MAX_PAGE),
            correct_spelling=not data.get("exact"),
        )
