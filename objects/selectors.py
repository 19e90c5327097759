"""Public reads of the collection: every query the public pages make lives here.
(What the object page makes of them, its citation and metadata, is in
objects/presentation.py.)

Only live (published) objects are ever returned. List pages load a fixed number
of queries whatever their length: a page of ids, the objects for those ids, and
their primary images with renditions in two prefetch queries.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.core.paginator import Page
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    Expression,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from foundation.compiled_queries import compiled_once
from foundation.generational_cache import generational_get_or_set
from foundation.page_cache import page_cache_generation
from foundation.pagination import ArchivePaginator
from foundation.picking import pick_at_random
from foundation.prefetched import prefetched

from .models import (
    CollectionObject,
    Maker,
    ObjectImage,
    ObjectMaker,
    ObjectType,
    Place,
    Production,
    Subject,
)
from .related import CARD_COLUMNS, DATE_ORDER, images_prefetch_from, live, load_images
from .vocabulary import Term, TermMatcher

PER_PAGE = 24
HIGHLIGHTS_LIMIT = 6
# Totals and facets are cached until the content changes (they are keyed on the
# page cache's generation, pages/cache.py, which every write to objects bumps),
# and at most this long.
COUNT_CACHE_SECONDS = 300
FACET_CACHE_SECONDS = 600
# The vocabulary is cached until a term changes (objects/signal_handlers.py), and
# at most an hour, in case the database changed behind Django's back (a restore).
OBJECT_TYPES_CACHE_KEY = "objects:vocabulary:object-types"
OBJECT_TYPES_CACHE_SECONDS = 3600

# Each ordering ends in the primary key so pages are stable. Undated objects come last.
ORDERINGS = {
    "date": DATE_ORDER,
    "-date": (F("date_earliest").desc(nulls_last=True), "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
}
DEFAULT_SORT = "date"
# Browse shows objects with images first, then in the order chosen: each of
# these matches an index (CollectionObject.Meta.indexes, migration 0013).
IMAGES_FIRST = F("has_image").desc()


@dataclass(frozen=True)
class BrowseFilters:
    """Validated browse parameters (built by objects.forms.BrowseForm)."""

    object_type: str = ""
    decade: int | None = None
    production: Production | None = None
    has_image: bool = False
    sort: str = DEFAULT_SORT

    @property
    def cache_key(self) -> str:
        production = self.production.pk if self.production else ""
        return f"{self.object_type}:{self.decade}:{production}:{int(self.has_image)}"


def live_objects() -> QuerySet[CollectionObject]:
    return live(CollectionObject.objects.all())


def public_terms(model) -> QuerySet:
    """The rows of a vocabulary (Maker, Production, Subject, Place or ObjectType) that
    a live object uses. The one rule for the whole site (pages, the API, sitemaps): a
    name is public only while a published object carries it."""
    uses = {
        Maker: ObjectMaker.objects.filter(maker=OuterRef("pk"), object__live=True),
        Production: live_objects().filter(production=OuterRef("pk")),
        Subject: live_objects().filter(subjects=OuterRef("pk")),
        Place: live_objects().filter(places=OuterRef("pk")),
        ObjectType: live_objects().filter(object_type=OuterRef("pk")),
    }
    # _default_manager: on some of these models `objects` names the reverse relation.
    return model._default_manager.filter(Exists(uses[model]))


def object_types() -> list[Term]:
    """Every object type term, by name: cached, so labels cost no query."""

    def compute():
        return [term.as_term() for term in ObjectType.objects.order_by("name")]

    return cache.get_or_set(OBJECT_TYPES_CACHE_KEY, compute, OBJECT_TYPES_CACHE_SECONDS)


def object_type_labels() -> dict[str, str]:
    """{slug: name} of every object type, for filters and facets that carry slugs."""
    return {term.slug: term.name for term in object_types()}


def object_type_choices() -> list[tuple[str, str]]:
    """(slug, name) of every object type, for forms' choices."""
    return [(term.slug, term.name) for term in object_types()]


def object_type_matcher() -> TermMatcher:
    """Matches people's words ("Photos", "programmes") to object types."""
    return TermMatcher(object_types())


def in_decade(decade: int) -> Q:
    """Objects of a decade, named by its first year (1990): those whose earliest date
    falls in it, as CollectionObject.decade and the decade facets count them. The one
    rule for the browse page and the API."""
    return Q(date_earliest__gte=decade, date_earliest__lt=decade + 10)


def has_image_condition() -> Exists:
    return Exists(ObjectImage.objects.filter(object=OuterRef("pk")))


def object_browse_queryset(*, filters: BrowseFilters) -> QuerySet[CollectionObject]:
    objects = live_objects()
    if filters.object_type:
        # By id, so the listing reads the (live, object_type, date) index directly.
        ids = {term.slug: term.id for term in object_types()}
        objects = objects.filter(object_type_id=ids.get(filters.object_type))
    if filters.decade is not None:
        objects = objects.filter(in_decade(filters.decade))
    if filters.production is not None:
        objects = objects.filter(production=filters.production)
    if filters.has_image:
        objects = objects.filter(has_image=True)
    return objects.order_by(IMAGES_FIRST, *ORDERINGS.get(filters.sort, ORDERINGS[DEFAULT_SORT]))


def images_prefetch(*, usages: tuple[str, ...], social: bool = False) -> Prefetch:
    """Objects' images with their image rows and the renditions `{% picture %}`
    needs for `usages`: two queries for any number of objects.

    Fills the `object_images` cache, so `obj.primary_image` and
    `obj.object_images.all()` then cost no query. (All images, not just the
    first: modelcluster's relation cannot prefetch a sliced queryset, and an
    object rarely has more than a few.)
    """
    return images_prefetch_from(ObjectImage.objects.all(), usages=usages, social=social)


def load_listing_images(objects: list[CollectionObject]) -> None:
    """The images cards and search hits show (objects.related.load_images): for those
    of `objects` not kept as fragments, in one query."""
    load_images(objects, usages=("listing",))


def object_page(
    *, objects: QuerySet[CollectionObject], page_number, count_key: str, per_page: int = PER_PAGE
) -> Page:
    """One page of `objects` (an ordered queryset), with the columns their cards show.
    Their images are loaded by the cards that are not kept (objects/templatetags/
    object_cards.py), together.

    The page's ids are read first (an index-only range scan), then the rows for just
    those ids: deep pages stay as cheap as the first.
    """
    # The total is cached: deep pages cost one index range scan, not a COUNT
    # over the whole collection each time.
    paginator = ArchivePaginator(
        objects.values_list("pk", flat=True),
        per_page,
        count_key=f"objects:{page_cache_generation()}:{count_key}",
    )
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    by_id = objects_by_id(ids, columns=CARD_COLUMNS)
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page


def objects_by_id(
    object_ids: list[int], *, columns: tuple[str, ...], live_only: bool = False
) -> dict[int, CollectionObject]:
    """The objects of `object_ids` that exist (and are published, with `live_only`),
    with their type, loading only `columns`: one query, its ids one parameter,
    compiled once per process for each set of columns (listings' cards, search hits,
    a story's objects)."""
    if not object_ids:
        return {}

    def build(ids: list[int]) -> QuerySet[CollectionObject]:
        objects = CollectionObject.objects.filter(pk__any=ids)
        if live_only:
            objects = objects.filter(live=True)
        # No ORDER BY: the caller orders them (a listing by its ids).
        return objects.order_by().select_related("object_type").only(*columns)

    found = compiled_once(("objects:by-id", columns, live_only), build, list(object_ids))
    return {obj.pk: obj for obj in found}


def _collection_cached(name: str, compute, seconds: int):
    """`compute()`, kept until the collection changes (the changes generation)."""
    generation = page_cache_generation()
    return generational_get_or_set(generation, f"objects:{generation}:{name}", compute, seconds)


def object_type_facets() -> list[tuple[str, str, int]]:
    """(slug, name, count) for each object type with live objects, by name.

    Counts are cached by term id and labelled from the vocabulary, so a renamed
    term shows its new name at once."""

    def compute():
        return dict(
            live_objects()
            .order_by()
            .values_list("object_type_id")
            .annotate(n=Count("pk"))
            .values_list("object_type_id", "n")
        )

    counts = _collection_cached("facets:type", compute, FACET_CACHE_SECONDS)
    return [(term.slug, term.name, counts[term.id]) for term in object_types() if term.id in counts]


def decade_facets() -> list[tuple[int, int]]:
    """(decade, count) for each decade with live dated objects, oldest first."""

    def compute():
        rows = (
            live_objects()
            .filter(date_earliest__isnull=False)
            .annotate(decade=F("date_earliest") / 10 * 10)
            .order_by()
            .values_list("decade")
            .annotate(n=Count("pk"))
            .values_list("decade", "n")
        )
        return sorted(rows)

    return _collection_cached("facets:decade", compute, FACET_CACHE_SECONDS)


def productions_with_objects() -> list[tuple[str, str]]:
    """(slug, label) of productions that have live objects, for the browse filter."""

    def compute():
        productions = public_terms(Production).order_by("title", "date_display")
        return [(p.slug, str(p)) for p in productions]

    return _collection_cached("facets:production", compute, FACET_CACHE_SECONDS)


# Columns that apps above objects add to the object page's one query, filled in by
# their AppConfig.ready() (identifications: what the public helped identify, for the
# page's provenance): name -> a function returning the expression.
OBJECT_PAGE_ANNOTATIONS: dict[str, Callable[[], Expression]] = {}


def object_get_live(*, slug: str) -> CollectionObject | None:
    """A live object with its production, makers, subjects and places loaded.
    Its images are loaded by object_detail_context (objects/presentation.py), together
    with the related objects'.

    On PostgreSQL one query: the makers, subjects and places come in the object's
    own row as arrays of JSON (elsewhere, three prefetch queries). Apps above add
    their own columns to this same query through OBJECT_PAGE_ANNOTATIONS."""
    # The slug is unique: no ORDER BY (ordering the query cost 0.4 ms to compile).
    # Compiled once per process: each page only runs it with its own slug.
    by_slug = compiled_once(
        "objects:page", lambda slug: _object_page_objects().filter(slug=slug).order_by()[:1], slug
    )
    obj = next(iter(by_slug), None)
    if obj is not None and connection.vendor == "postgresql":
        _attach_terms(obj)
    return obj


@functools.cache
def _object_page_objects() -> QuerySet[CollectionObject]:
    """The object page's query but for its slug, built once per process (each page
    clones it with `.filter()`): resolving its subqueries took longer than running
    it, 2-3 ms of every object page. On PostgreSQL its subqueries are compiled once
    too (compiling them was 0.7 of the 1.3 ms the query took to compile)."""
    objects = live_objects().select_related("production", "object_type")
    annotations = {name: make() for name, make in OBJECT_PAGE_ANNOTATIONS.items()}
    if connection.vendor != "postgresql":
        makers = ObjectMaker.objects.select_related("maker").order_by("sort_order", "pk")
        return objects.annotate(**annotations).prefetch_related(
            Prefetch("object_makers", queryset=makers), "subjects", "places"
        )
    annotations.update(_terms_as_json())
    return objects.annotate(
        **{name: _compiled(objects, expression) for name, expression in annotations.items()}
    )


def _compiled(objects: QuerySet, expression: Expression) -> RawSQL:
    """`expression` as the SQL it compiles to in `objects`' query, with the same type:
    a column that costs nothing to compile on each page. (Its outer references name
    the objects table, which the query keeps unaliased.)"""
    query = objects.query.chain()
    resolved = expression.resolve_expression(query, allow_joins=True, reuse=None)
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(resolved)
    # Django compiled it from expressions, its values still parameters: nothing typed in.
    return RawSQL(sql, params, output_field=resolved.output_field)  # noqa: S611


def _terms_as_json() -> dict:
    def term_rows(model):
        rows = model.objects.filter(collection_objects=OuterRef("pk")).order_by("name", "pk")
        return ArraySubquery(rows.values(json=JSONObject(id="pk", name="name", slug="slug")))

    makers = (
        ObjectMaker.objects.filter(object=OuterRef("pk"))
        .order_by("sort_order", "pk")
        .values(
            json=JSONObject(
                id="pk",
                sort_order="sort_order",
                maker_id="maker_id",
                role="role",
                name="maker__name",
                slug="maker__slug",
                kind="maker__kind",
            )
        )
    )
    return {
        "makers_json": ArraySubquery(makers),
        "subjects_json": term_rows(Subject),
        "places_json": term_rows(Place),
    }


def _from_row(model, row: dict, db: str):
    """An instance as the database would have built it from `row`'s columns (the
    others deferred, so reading one loads it rather than giving a wrong default)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in row]
    return model.from_db(db, names, [row[name] for name in names])


def _attach_terms(obj: CollectionObject) -> None:
    """Fill the relations' prefetch caches from the JSON columns, so
    `obj.object_makers.all()`, `obj.subjects.all()` and `obj.places.all()` cost no query."""
    db = obj._state.db
    links = []
    for row in obj.makers_json:
        link = _from_row(ObjectMaker, {**row, "id": row["id"], "object_id": obj.pk}, db)
        link.maker = _from_row(Maker, {**row, "id": row["maker_id"]}, db)
        links.append(link)
    prefetched(obj, "object_makers", ObjectMaker, links)
    prefetched(obj, "subjects", Subject, [_from_row(Subject, r, db) for r in obj.subjects_json])
    prefetched(obj, "places", Place, [_from_row(Place, r, db) for r in obj.places_json])


def objects_for_maker(*, maker) -> QuerySet[CollectionObject]:
    made = ObjectMaker.objects.filter(maker=maker).values("object_id")
    return live_objects().filter(pk__in=made).order_by(*ORDERINGS[DEFAULT_SORT])


def objects_for_production(*, production) -> QuerySet[CollectionObject]:
    return live_objects().filter(production=production).order_by(*ORDERINGS[DEFAULT_SORT])


def objects_for_subject(*, subject) -> QuerySet[CollectionObject]:
    return live_objects().filter(subjects=subject).order_by(*ORDERINGS[DEFAULT_SORT])


def objects_for_place(*, place) -> QuerySet[CollectionObject]:
    return live_objects().filter(places=place).order_by(*ORDERINGS[DEFAULT_SORT])


def object_total() -> int:
    """How many objects are published, counted once per change."""
    return _collection_cached("count:home", live_objects().count, COUNT_CACHE_SECONDS)


def object_pick_unseen() -> CollectionObject | None:
    """A random live object with an image, among those viewed least.

    Two index probes, never a sort of the whole table: find the lowest view count
    among live objects with images, then take the first such object at or after a
    random primary key (wrapping around to the start).
    """
    with_image = live_objects().filter(has_image_condition())
    fewest = with_image.order_by("view_count").values_list("view_count", flat=True).first()
    if fewest is None:
        return None
    bounds = live_objects().aggregate(lowest=Min("pk"), highest=Max("pk"))
    return pick_at_random(
        with_image.filter(view_count=fewest), bounds=(bounds["lowest"], bounds["highest"])
    )
