"""Public reads of the collection: every query the public pages make lives here.
(What the object page makes of them, its citation and metadata, is in
objects/presentation.py.)

Only live (published) objects are ever returned. List pages load a fixed number
of queries whatever their length: a page of ids, the objects for those ids, and
their primary images with renditions in two prefetch queries.
"""

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
from django.db.models.functions import JSONObject

from foundation.page_cache import page_cache_generation
from foundation.pagination import ArchivePaginator
from foundation.picking import pick_at_random
from images.selectors import picture_renditions_prefetch

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
from .vocabulary import Term, TermMatcher

PER_PAGE = 24
RELATED_LIMIT = 6
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
    "date": (F("date_earliest").asc(nulls_last=True), "id"),
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
    return CollectionObject.objects.filter(live=True).select_related("object_type")


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
    images = (
        ObjectImage.objects.select_related("image")
        .prefetch_related(
            picture_renditions_prefetch(lookup="image__renditions", usages=usages, social=social)
        )
        .order_by("sort_order", "pk")
    )
    return Prefetch("object_images", queryset=images)


def object_page(
    *, objects: QuerySet[CollectionObject], page_number, count_key: str, per_page: int = PER_PAGE
) -> Page:
    """One page of `objects` (an ordered queryset), loaded with their images.

    The page's ids are read first (an index-only range scan), then the full rows
    for just those ids: deep pages stay as cheap as the first.
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
    by_id = (
        CollectionObject.objects.filter(pk__in=ids)
        .order_by()  # the page's order comes from `ids`
        .select_related("production", "object_type")
        .prefetch_related(images_prefetch(usages=("listing",)))
        .in_bulk()
    )
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page


def _collection_key(name: str) -> str:
    return f"objects:{page_cache_generation()}:{name}"


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

    counts = cache.get_or_set(_collection_key("facets:type"), compute, FACET_CACHE_SECONDS)
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

    return cache.get_or_set(_collection_key("facets:decade"), compute, FACET_CACHE_SECONDS)


def productions_with_objects() -> list[tuple[str, str]]:
    """(slug, label) of productions that have live objects, for the browse filter."""

    def compute():
        productions = public_terms(Production).order_by("title", "date_display")
        return [(p.slug, str(p)) for p in productions]

    return cache.get_or_set(_collection_key("facets:production"), compute, FACET_CACHE_SECONDS)


# Columns that apps above objects add to the object page's one query, filled in by
# their AppConfig.ready() (identifications: what the public helped identify, for the
# page's provenance): name -> a function returning the expression.
OBJECT_PAGE_ANNOTATIONS: dict[str, Callable[[], Expression]] = {}


def object_get_live(*, slug: str) -> CollectionObject | None:
    """A live object with its production, makers, subjects and places loaded.
    Its images are loaded by object_detail_context, together with the related objects'.

    On PostgreSQL one query: the makers, subjects and places come in the object's
    own row as arrays of JSON (elsewhere, three prefetch queries). Apps above add
    their own columns to this same query through OBJECT_PAGE_ANNOTATIONS."""
    objects = (
        live_objects()
        .select_related("production", "object_type")
        .annotate(**{name: make() for name, make in OBJECT_PAGE_ANNOTATIONS.items()})
        .filter(slug=slug)
    )
    if connection.vendor != "postgresql":
        makers = ObjectMaker.objects.select_related("maker").order_by("sort_order", "pk")
        return objects.prefetch_related(
            Prefetch("object_makers", queryset=makers), "subjects", "places"
        ).first()
    obj = objects.annotate(**_terms_as_json()).first()
    if obj is not None:
        _attach_terms(obj)
    return obj


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


def _loaded(model, instances: list):
    """A queryset already holding `instances`, as prefetch_related leaves one."""
    queryset = model._default_manager.none()
    queryset._result_cache = instances
    queryset._prefetch_done = True
    return queryset


def _attach_terms(obj: CollectionObject) -> None:
    """Fill the relations' prefetch caches from the JSON columns, so
    `obj.object_makers.all()`, `obj.subjects.all()` and `obj.places.all()` cost no query."""
    db = obj._state.db
    links = []
    for row in obj.makers_json:
        link = _from_row(ObjectMaker, {**row, "id": row["id"], "object_id": obj.pk}, db)
        link.maker = _from_row(Maker, {**row, "id": row["maker_id"]}, db)
        links.append(link)
    obj._prefetched_objects_cache = {
        "object_makers": _loaded(ObjectMaker, links),
        "subjects": _loaded(Subject, [_from_row(Subject, r, db) for r in obj.subjects_json]),
        "places": _loaded(Place, [_from_row(Place, r, db) for r in obj.places_json]),
    }


def objects_for_maker(*, maker) -> QuerySet[CollectionObject]:
    made = ObjectMaker.objects.filter(maker=maker).values("object_id")
    return live_objects().filter(pk__in=made).order_by(*ORDERINGS[DEFAULT_SORT])


def objects_for_production(*, production) -> QuerySet[CollectionObject]:
    return live_objects().filter(production=production).order_by(*ORDERINGS[DEFAULT_SORT])


def objects_for_subject(*, subject) -> QuerySet[CollectionObject]:
    return live_objects().filter(subjects=subject).order_by(*ORDERINGS[DEFAULT_SORT])


def objects_for_place(*, place) -> QuerySet[CollectionObject]:
    return live_objects().filter(places=place).order_by(*ORDERINGS[DEFAULT_SORT])


def object_related(*, obj: CollectionObject, maker_ids: list[int]) -> dict[str, list]:
    """Up to RELATED_LIMIT live objects from the same production and by the same makers."""
    if connection.features.supports_slicing_ordering_in_compound:
        return _related_in_one_query(obj=obj, maker_ids=maker_ids)
    same_production = []
    if obj.production_id:
        same_production = list(
            objects_for_production(production=obj.production_id).exclude(pk=obj.pk)[:RELATED_LIMIT]
        )
    same_maker = []
    if maker_ids:
        shown = [o.pk for o in same_production] + [obj.pk]
        same_maker = objects_by_makers_near(obj=obj, maker_ids=maker_ids, exclude=shown)
    return {"same_production": same_production, "same_maker": same_maker}


def _date_order(other: CollectionObject) -> tuple:
    # ORDERINGS["date"] in Python: undated last, then by id.
    return (other.date_earliest is None, other.date_earliest or 0, other.pk)


def _related_in_one_query(*, obj: CollectionObject, maker_ids: list[int]) -> dict[str, list]:
    """Both lists from one query: the production's first objects by date, and the
    makers' objects catalogued nearest on either side, enough of them (twice the
    limit) that the nearest are still there once those shown from the production
    are set aside. The same lists as two queries gave, each an index walk."""
    parts = []
    if obj.production_id:
        production = objects_for_production(production=obj.production_id).exclude(pk=obj.pk)
        parts.append(production.values("pk")[:RELATED_LIMIT])
    if maker_ids:
        links = (
            ObjectMaker.objects.filter(maker_id__in=maker_ids)
            .exclude(object_id=obj.pk)
            .values("object_id")
        )
        window = RELATED_LIMIT * 2
        parts.append(links.filter(object_id__gt=obj.pk).order_by("object_id")[:window])
        parts.append(links.filter(object_id__lt=obj.pk).order_by("-object_id")[:window])
    if not parts:
        return {"same_production": [], "same_maker": []}
    ids = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    candidates = list(live_objects().filter(pk__in=ids))
    # The production's first objects by date are its part of the query: any other
    # object of the production found by maker sorts after them.
    same_production = sorted(
        (o for o in candidates if obj.production_id and o.production_id == obj.production_id),
        key=_date_order,
    )[:RELATED_LIMIT]
    shown = {o.pk for o in same_production}
    same_maker = (
        sorted(
            (o for o in candidates if o.pk not in shown), key=lambda other: abs(other.pk - obj.pk)
        )[:RELATED_LIMIT]
        if maker_ids
        else []
    )
    return {"same_production": same_production, "same_maker": same_maker}


def objects_by_makers_near(
    *, obj: CollectionObject, maker_ids: list[int], exclude: list[int]
) -> list[CollectionObject]:
    """Live objects by these makers catalogued nearest to `obj`, in one query.

    Walks the (maker, object) index outwards from `obj` in both directions, so it
    stays fast for a maker with tens of thousands of objects: sorting all of a
    prolific maker's work by date to show six of them took over half a second.
    """
    links = (
        ObjectMaker.objects.filter(maker_id__in=maker_ids)
        .exclude(object_id__in=exclude)
        .values("object_id")
    )
    after = links.filter(object_id__gt=obj.pk).order_by("object_id")[:RELATED_LIMIT]
    before = links.filter(object_id__lt=obj.pk).order_by("-object_id")[:RELATED_LIMIT]
    if connection.features.supports_slicing_ordering_in_compound:
        # A UNION keeps both index walks inside the subquery; an OR of two IN
        # subqueries makes PostgreSQL filter every row of the table (100 ms at 100k).
        nearby = live_objects().filter(pk__in=after.union(before, all=True))
    else:  # SQLite cannot limit the parts of a UNION
        nearby = live_objects().filter(Q(pk__in=after) | Q(pk__in=before))
    return sorted(nearby, key=lambda other: abs(other.pk - obj.pk))[:RELATED_LIMIT]


def object_total() -> int:
    """How many objects are published, counted once per change."""
    return cache.get_or_set(
        _collection_key("count:home"), live_objects().count, COUNT_CACHE_SECONDS
    )


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
