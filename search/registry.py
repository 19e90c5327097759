"""The kinds of content the site search covers, each declared by its own app.

An app makes its content searchable by subclassing `SearchKind` in its
`search.py` and decorating the class with `@register` (docs/search.md). Both
backends, the index sync, the rebuild and the drift check work from this
registry only: nothing in `search/` names a kind.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Model, QuerySet

FACET_SIZE = 12


@dataclass(frozen=True)
class Facet:
    """A filter shown beside the results, with counts.

    `name` is the URL parameter. `choices`, when given, lists the values the
    search form accepts (others are dropped, never an error); without it any
    slug is accepted and an unknown one simply matches nothing.
    """

    name: str
    heading: str
    size: int = FACET_SIZE
    choices: Callable[[], Iterable[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class IndexedRecord:
    """What a kind tells both indexes about one public record.

    Text is matched by weight: `title` and `identifier` > `names` > `keywords`
    > `description`. `facets` maps a facet name to (value, label) pairs, for
    example {"maker": [("david-hockney", "David Hockney")]}.
    """

    pk: int
    title: str
    url: str
    # One line under the title in results and suggestions: "Poster · 1998 · Hamlet".
    summary: str = ""
    # A code that finds this record alone when typed exactly (an accession number).
    identifier: str = ""
    names: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # Plain text, shown as a highlighted fragment when it matches.
    description: str = ""
    facets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    date_earliest: int | None = None
    has_image: bool = False

    @property
    def decade(self) -> int | None:
        return None if self.date_earliest is None else self.date_earliest // 10 * 10


class SearchKind(ABC):
    """One kind of searchable content. Subclass, fill in, `@register`.

    Required: `name` (URL value of the result-type facet and suffix of the
    Elasticsearch alias, e.g. "objects"), `label` ("Objects"), `hit_label`
    ("Object"), `model`, `public_queryset()` and `to_record()`.
    """

    name: str
    label: str
    hit_label: str
    model: type[Model]
    # The Elasticsearch Document (a `search.documents.SearchDocument`
    # subclass); the common fields are enough for most kinds.
    document = None
    # This kind's own facets, shown after "Result type".
    facets: list[Facet] = []
    # Rows written without save() announce it with foundation's records_changed
    # (sender: the model, pks): this kind's and its dependencies' are followed.
    # Related models whose changes change this kind's records, each with the
    # lookup from this kind's model to it: {Maker: "object_makers__maker"}.
    # A reverse foreign key ("object_makers") marks child rows; a forward
    # many-to-many ("subjects") also follows its link table.
    dependencies: dict[type[Model], str] = {}
    # The model field that changes whenever a record changes, so the drift
    # check finds stale entries; None if the model has none (then only
    # missing and extra records are found).
    updated_field: str | None = "updated_at"
    # Searchable through the open data API as well as on the site. A kind whose
    # records are not all open data (memories shared "for this site only") says
    # False, and the API lists its open records elsewhere.
    open_data = True
    # Renders one result; gets `hit` (search.results.SearchHit) and `record`
    # (from `records_for_hits`, None when the record has just gone).
    hit_template = "search/includes/hit.html"

    @abstractmethod
    def public_queryset(self) -> QuerySet:
        """Everything the public may find, loading what `to_record` reads
        in a fixed number of queries."""

    @abstractmethod
    def to_record(self, instance) -> IndexedRecord:
        """The common fields both backends index, from one `rows()` item."""

    def rows(self, pks: list[int]) -> Iterable:
        """The public records among `pks` as `to_record` and `updated_at`
        read them: model instances from `public_queryset()` by default. A
        kind with many records may return lighter rows (plain values read
        with `values_list`): building model instances is most of the cost
        of a rebuild."""
        return self.public_queryset().filter(pk__in=pks)

    def records_for_hits(self, pks: list[int]) -> dict[int, Model]:
        """The records behind a page of hits, for their templates, in a fixed
        number of queries whatever the page size. None here: the generic template
        shows only what the index holds, and the search index's own updates retire
        the page. A kind with a template of its own loads what it shows."""
        return {}

    @property
    def model_label(self) -> str:
        return self.model._meta.label

    def updated_at(self, instance) -> datetime | None:
        return getattr(instance, self.updated_field) if self.updated_field else None

    def __repr__(self):
        return f"<SearchKind {self.name}>"


_kinds: dict[str, SearchKind] = {}


def register(kind_class: type[SearchKind]) -> type[SearchKind]:
    """Class decorator: make this kind searchable."""
    kind = kind_class()
    if kind.name in _kinds and type(_kinds[kind.name]) is not kind_class:
        raise ValueError(f"Two search kinds are named {kind.name!r}.")
    _kinds[kind.name] = kind
    return kind_class


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def all_kinds() -> list[SearchKind]:
    return list(_kinds.values())


def open_data_kinds() -> tuple[str, ...]:
    return tuple(kind.name for kind in _kinds.values() if kind.open_data)


def get_kind(name: str) -> SearchKind:
    return _kinds[name]


def kind_for_model_label(model_label: str) -> SearchKind | None:
    return next((kind for kind in _kinds.values() if kind.model_label == model_label), None)


def dependent_kinds(model_label: str) -> list[tuple[SearchKind, str]]:
    """(kind, lookup) for every kind whose records depend on this model."""
    return [
        (kind, lookup)
        for kind in _kinds.values()
        for model, lookup in kind.dependencies.items()
        if model._meta.label == model_label
    ]


def pks_depending_on(kind: SearchKind, lookup: str, pks: Iterable[int]) -> list[int]:
    """The kind's records linked to these related rows through `lookup`."""
    return list(
        kind.model._default_manager.filter(**{f"{lookup}__in": list(pks)})
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def affected_records(model_label: str, pks: list[int]) -> dict[SearchKind, list[int]]:
    """Which records of which kinds a change to these rows may alter."""
    affected: dict[SearchKind, list[int]] = {}
    kind = kind_for_model_label(model_label)
    if kind is not None:
        affected[kind] = list(pks)
    for dependent, lookup in dependent_kinds(model_label):
        found = pks_depending_on(dependent, lookup, pks)
        affected[dependent] = sorted(set(affected.get(dependent, [])) | set(found))
    return affected


IMAGE_LABELS = {"yes": "With images", "no": "Without images"}
# Facets every kind has, from the common record fields.
RESULT_TYPE = Facet(
    "kind", "Result type", choices=lambda: [(kind.name, kind.label) for kind in all_kinds()]
)
DECADE = Facet("decade", "Decade", size=30)
IMAGE = Facet("image", "Images", choices=lambda: IMAGE_LABELS.items())


def all_facets() -> list[Facet]:
    """Every facet in display order: result type, each kind's own, then
    decade and images. Kinds may share a facet by declaring the same name."""
    facets = {RESULT_TYPE.name: RESULT_TYPE}
    for kind in all_kinds():
        for facet in kind.facets:
            facets.setdefault(facet.name, facet)
    facets[DECADE.name] = DECADE
    facets[IMAGE.name] = IMAGE
    return list(facets.values())


# Facet keys are "facet|value|Label" (counted) and "facet|value" (filtered).
FACET_KEY_SEPARATOR = "|"


def facet_filter_key(facet: str, value: str) -> str:
    return f"{facet}{FACET_KEY_SEPARATOR}{value}"


def split_facet_key(key: str) -> tuple[str, str, str]:
    """(facet, value, label) from a stored "facet|value|Label" key."""
    facet, _, rest = key.partition(FACET_KEY_SEPARATOR)
    value, _, label = rest.partition(FACET_KEY_SEPARATOR)
    return facet, value, label or value
