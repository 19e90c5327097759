"""What the API accepts and returns, as django-ninja schemas (OpenAPI 3.1).

Links are absolute, built from the request, so a client can follow them
without knowing the site's layout. Text fields are plain text: catalogue
descriptions are rich text on the site, stripped of markup here.
"""

from datetime import date
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse
from ninja import Field, Schema

from foundation.absolute_urls import path_for
from foundation.text import plain_text

from .cursors import CURSOR_PATTERN

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


# --- Query parameters --------------------------------------------------------
# Slugs are matched by pattern so a value that could never be a slug (a NUL
# byte, which PostgreSQL refuses in text) is a 400 that names the parameter.
SLUG_PATTERN = r"^[-\w]+$"
TEXT_PATTERN = r"^[^\x00]*$"


class PageParams(Schema):
    cursor: str | None = Field(
        None,
        pattern=CURSOR_PATTERN,
        description="Where to continue: the `next` link of the previous page carries it. "
        "Opaque: use it as given.",
    )
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (1–100)."
    )


class ObjectListParams(PageParams):
    type: str | None = Field(
        None,
        max_length=100,
        pattern=SLUG_PATTERN,
        description="An object type's slug, e.g. `poster` (see /types/).",
    )
    decade: int | None = Field(
        None, ge=1000, le=2100, multiple_of=10, description="A decade, as its first year: `1990`."
    )
    production: str | None = Field(
        None, max_length=100, pattern=SLUG_PATTERN, description="A production's slug."
    )
    maker: str | None = Field(
        None, max_length=100, pattern=SLUG_PATTERN, description="A maker's slug."
    )
    subject: str | None = Field(
        None, max_length=100, pattern=SLUG_PATTERN, description="A subject's slug."
    )
    place: str | None = Field(
        None, max_length=100, pattern=SLUG_PATTERN, description="A place's slug."
    )
    has_image: bool | None = Field(None, description="Only objects with (true) or without images.")


class SearchParams(Schema):
    q: str = Field("", max_length=200, pattern=TEXT_PATTERN, description="Words to search for.")
    kind: str | None = Field(
        None,
        max_length=50,
        pattern=SLUG_PATTERN,
        description='Only results of one kind: "objects", "stories"...',
    )
    type: str | None = Field(None, max_length=100, pattern=SLUG_PATTERN)
    decade: int | None = Field(None, ge=1000, le=2100, multiple_of=10)
    production: str | None = Field(None, max_length=100, pattern=SLUG_PATTERN)
    maker: str | None = Field(None, max_length=100, pattern=SLUG_PATTERN)
    subject: str | None = Field(None, max_length=100, pattern=SLUG_PATTERN)
    has_image: bool | None = None
    page: int = Field(1, ge=1, le=500, description="Results come 20 a page, up to page 500.")


# --- Shared parts ------------------------------------------------------------


class Error(Schema):
    detail: str
    errors: list[dict] = Field(default_factory=list)


class MakerCredit(Schema):
    slug: str
    name: str
    kind: str
    role: str
    url: str
    api_url: str


class TermRef(Schema):
    slug: str
    name: str
    url: str


def _production_ref(production, context) -> dict:
    """A Production (a memory's) as a TermRef; objects' come from api/object_records.py."""
    return {
        "slug": production.slug,
        "name": production.title,
        "url": _absolute(context, production.get_absolute_url()),
    }


class ImageOut(Schema):
    iiif_image_service: str = Field(description="IIIF Image API 3 (level 0) service.")
    url: str = Field(description="The largest JPEG the site offers.")
    width: int
    height: int
    alt_text: str
    credit: str


# --- Objects -----------------------------------------------------------------
# Shaped from an object's public record by api/object_records.py, for the API and
# the bulk downloads alike: these classes declare the fields, in order.


class ObjectSummary(Schema):
    id: int
    slug: str
    accession_number: str
    title: str
    object_type: str
    object_type_label: str
    date_display: str
    date_earliest: int | None
    date_latest: int | None
    makers: list[MakerCredit]
    production: TermRef | None
    rights_uri: str
    rights_label: str
    is_sample_data: bool = Field(description="Demonstration records, not in BAC's archive.")
    thumbnail: str | None = Field(description="A JPEG at most 320 pixels wide and high.")
    iiif_manifest: str | None
    url: str = Field(description="The object's page on the site.")
    uri: str = Field(
        description="The object's identifier in linked data: its page's URL, as schema.org "
        "`@id`, Linked Art `id`, IIIF `homepage` and the bulk downloads give it."
    )
    api_url: str


class LinkedDataLinks(Schema):
    schema_org: str
    linked_art: str


class ObjectDetail(ObjectSummary):
    description: str
    materials: str
    dimensions: str
    credit_line: str
    content_warning: str = Field(description="If set, show images only after this warning.")
    subjects: list[TermRef]
    places: list[TermRef]
    images: list[ImageOut]
    linked_data: LinkedDataLinks


class ObjectPage(Schema):
    next: str | None = Field(description="The next page, or null on the last one.")
    results: list[ObjectSummary]


# --- Makers, productions, subjects, places ----------------------------------


class _Term(Schema):
    id: int
    slug: str
    url: str
    api_url: str
    objects: str = Field(description="This term's published objects, in the API.")

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj.get_absolute_url())


def _term_links(kind: str, filter_name: str):
    """api_url and objects resolvers for one kind of term."""

    def resolve_api_url(obj, context):
        return _absolute(context, path_for(f"api:{kind}_detail", obj.slug))

    def resolve_objects(obj, context):
        return _absolute(context, f"{reverse('api:object_list')}?{filter_name}={obj.slug}")

    return staticmethod(resolve_api_url), staticmethod(resolve_objects)


class MakerOut(_Term):
    name: str
    kind: str
    dates: str
    resolve_api_url, resolve_objects = _term_links("maker", "maker")


class MakerDetail(MakerOut):
    biography: str

    @staticmethod
    def resolve_biography(obj):
        return plain_text(obj.biography)


class ProductionOut(_Term):
    title: str
    company: str
    date_display: str
    start_date: date | None
    end_date: date | None
    venue_space: str
    resolve_api_url, resolve_objects = _term_links("production", "production")


class ProductionDetail(ProductionOut):
    description: str

    @staticmethod
    def resolve_description(obj):
        return plain_text(obj.description)


class ObjectTypeOut(_Term):
    name: str
    description: str
    resolve_api_url, resolve_objects = _term_links("type", "type")

    @staticmethod
    def resolve_url(obj, context):
        # A type has no page of its own: the site's browse page, filtered.
        return _absolute(context, f"{reverse('objects:browse')}?object_type={obj.slug}")


class SubjectOut(_Term):
    name: str
    resolve_api_url, resolve_objects = _term_links("subject", "subject")


class PlaceOut(_Term):
    name: str
    resolve_api_url, resolve_objects = _term_links("place", "place")


class MakerPage(Schema):
    next: str | None
    results: list[MakerOut]


class ProductionPage(Schema):
    next: str | None
    results: list[ProductionOut]


class ObjectTypePage(Schema):
    next: str | None
    results: list[ObjectTypeOut]


class SubjectPage(Schema):
    next: str | None
    results: list[SubjectOut]


class PlacePage(Schema):
    next: str | None
    results: list[PlaceOut]


# --- Stories and memories ----------------------------------------------------


class StoryOut(Schema):
    id: int
    slug: str
    title: str
    standfirst: str
    publication_date: date
    reading_time: int = Field(description="Minutes.")
    authors: list[str]
    themes: list[str]
    is_sample_content: bool
    url: str
    api_url: str

    @staticmethod
    def resolve_authors(story):
        return [author.name for author in story.authors.all()]

    @staticmethod
    def resolve_themes(story):
        return [theme.name for theme in story.themes.all()]

    @staticmethod
    def resolve_url(story, context):
        return _absolute(context, story.url)

    @staticmethod
    def resolve_api_url(story, context):
        return _absolute(context, reverse("api:story_detail", args=[story.slug]))


class StoryDetail(StoryOut):
    text: str = Field(description="The story's words as plain text.")

    @staticmethod
    def resolve_text(story):
        return story.body_text()


class StoryPage(Schema):
    next: str | None
    results: list[StoryOut]


MEMORY_LICENCE_URI = "https://creativecommons.org/licenses/by/4.0/"


class ObjectRef(Schema):
    slug: str
    title: str
    url: str
    api_url: str

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_api_url(obj, context):
        return _absolute(context, reverse("api:object_detail", args=[obj.slug]))


class ReplyOut(Schema):
    signed: str = Field(description="The staff member's public name and role.")
    text: str
    date: str

    @staticmethod
    def resolve_signed(reply):
        return reply.signature

    @staticmethod
    def resolve_date(reply):
        return reply.created_at.date().isoformat()


class MemoryOut(Schema):
    id: str = Field(description="The memory's public identifier.")
    text: str
    when_happened: str
    year: int | None
    attribution: str = Field(description='The name the contributor chose, or "Anonymous".')
    relationship: str
    about_object: ObjectRef | None
    about_production: TermRef | None
    audio_url: str | None
    transcript: str
    licence: str
    credit: str = Field(description="How to credit the contributor when reusing the memory.")
    published: str
    call: int | None = Field(description="The call for memories it answers (see /calls/).")
    replies: list[ReplyOut] = Field(description="Published replies from the BAC team.")
    url: str
    api_url: str

    @staticmethod
    def resolve_id(memory):
        return str(memory.public_id)

    @staticmethod
    def resolve_call(memory):
        return memory.call_id if memory.shown_call else None

    @staticmethod
    def resolve_replies(memory):
        return memory.public_replies

    @staticmethod
    def resolve_relationship(memory):
        return memory.get_relationship_display()

    @staticmethod
    def resolve_about_object(memory):
        obj = memory.object
        return obj if obj is not None and obj.live else None

    @staticmethod
    def resolve_about_production(memory, context):
        return _production_ref(memory.production, context) if memory.production else None

    @staticmethod
    def resolve_audio_url(memory, context):
        if not memory.audio:
            return None
        return _absolute(context, reverse("memories:audio", args=[memory.public_id]))

    @staticmethod
    def resolve_licence(memory):
        return MEMORY_LICENCE_URI

    @staticmethod
    def resolve_credit(memory):
        return f"{memory.attribution}, BAC Collection community memories (CC BY 4.0)"

    @staticmethod
    def resolve_published(memory):
        return memory.approved_at.date().isoformat() if memory.approved_at else ""

    @staticmethod
    def resolve_url(memory, context):
        return _absolute(context, f"{reverse('memories:list')}#memory-{memory.public_id}")

    @staticmethod
    def resolve_api_url(memory, context):
        return _absolute(context, reverse("api:memory_detail", args=[memory.public_id]))


class MemoryPage(Schema):
    next: str | None
    results: list[MemoryOut]


# --- Search ------------------------------------------------------------------


class SearchHitOut(Schema):
    kind: str = Field(description='What the result is: "objects", "stories"...')
    kind_label: str
    id: int
    title: str
    summary: str
    identifier: str = Field(description="An accession number, for objects.")
    has_image: bool
    url: str
    api_url: str | None = Field(description="The record in this API, where it has one.")

    @staticmethod
    def resolve_url(hit, context):
        return _absolute(context, hit.url)

    @staticmethod
    def resolve_api_url(hit, context):
        try:
            match = resolve(urlsplit(hit.url).path)
        except Resolver404:
            return None
        if match.view_name != "objects:object":
            return None
        return _absolute(context, reverse("api:object_detail", args=[match.kwargs["slug"]]))


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class SearchPage(Schema):
    total: int = Field(description="All matches; only the first 10,000 can be paged to.")
    page: int
    next: str | None
    suggestion: str = Field(description='A corrected query ("did you mean"), or "".')
    corrected_from: str = Field(description="Set when results are for `suggestion` instead.")
    results: list[SearchHitOut]
    facets: dict[str, list[FacetValueOut]]
