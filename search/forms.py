"""The search page's GET parameters, validated.

A bad value never produces an error page: an unknown facet value, a
malformed page number or an over-long query is dropped or clamped, and the
search runs with what is left. Facet fields come from the registry, so a new
kind's facets are accepted as soon as it is declared.
"""

from django import forms

from .registry import DECADE, Facet, all_facets
from .results import MAX_PAGE, SORTS, SearchRequest
from .text import MAX_QUERY_LENGTH, printable


def _facet_field(facet: Facet) -> forms.Field:
    if facet.name == DECADE.name:
        return forms.IntegerField(required=False, min_value=1000, max_value=2100)
    if facet.choices is not None:
        return forms.ChoiceField(required=False, choices=facet.choices)
    return forms.SlugField(required=False, max_length=100)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True, label="Search the collection")
    sort = forms.ChoiceField(required=False, choices=list(SORTS.items()), label="Sort by")
    page = forms.IntegerField(required=False, min_value=1)
    exact = forms.BooleanField(required=False)  # "search instead for" what was typed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.facets = all_facets()
        for facet in self.facets:
            self.fields[facet.name] = _facet_field(facet)

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
        filters = {
            facet.name: str(data[facet.name])
            for facet in self.facets
            if data.get(facet.name) not in (None, "")
        }
        return SearchRequest(
            query=data.get("q") or "",
            filters=filters,
            sort=data.get("sort") or "relevance",
            page=min(data.get("page") or 1, MAX_PAGE),
            correct_spelling=not data.get("exact"),
        )
