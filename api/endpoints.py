"""The read-only JSON API: /api/v1/, documented at /api/v1/docs.

Keyless GET for everyone, throttled per client (429 with Retry-After), with an
ETag and Cache-Control on every successful answer so clients can revalidate
(304, api/caching.py). Anything wrong with a request is a 400 whose JSON body
says what; unknown ids are a JSON 404. Every GET answers HEAD too.
"""

import functools
import re
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI, Path, Query, Router
from ninja.errors import ValidationError
from ninja.throttling import AnonRateThrottle

from calls import api_schemas as call_schemas
from calls import selectors as call_selectors
from foundation.visitors import address_key, client_address
from search.backends import search as run_search
from search.registry import open_data_kinds
from search.results import MAX_PAGE, PAGE_SIZE, SearchRequest

from . import schemas, selectors
from .caching import revalidated
from .cursors import cursor_decode, cursor_encode
from .object_records import Links, object_detail_fields, object_summary_fields
from .selectors import ObjectFilters

API_DESCRIPTION = """
The published records of Battersea Arts Centre's archive, free to reuse under each
record's rights statement. No key is needed. Lists are paged with opaque cursors: follow
`next` until it is null. Clients are limited to a number of requests a minute per
address (HTTP 429 with `Retry-After` past it). Every successful answer has an `ETag`:
send it back in `If-None-Match` to get a `304 Not Modified` when nothing changed, and a
`Cache-Control` lifetime. `HEAD` is answered wherever `GET` is.

Also available: IIIF manifests (linked from each object as `iiif_manifest`), JSON-LD for
each object (`linked_data`), and nightly bulk downloads of everything (see the Open data
page on the site).
"""

# A media range as RFC 9110 allows it: type/subtype, then ;parameters.
MEDIA_RANGE = re.compile(
    r"^[\w!#$&^.+*-]+/[\w!#$&^.+*-]+(\s*;\s*[\w!#$&^.+-]+=(\"[^\"]*\"|[^;,\s\"]+))*$"
)
JSON_TYPES = {"*/*", "application/*", "application/json"}


def accept_problem(header: str) -> tuple[int, str] | None:
    """(status, why) when an Accept header is malformed (400) or excludes JSON (406)."""
    if not header.strip():
        return None
    ranges = [part.strip() for part in header.split(",") if part.strip()]
    for media_range in ranges:
        if not MEDIA_RANGE.match(media_range):
            return 400, f"The Accept header is malformed at {media_range[:60]!r}."
    offered = {r.split(";")[0].strip().lower() for r in ranges if not r.endswith("q=0")}
    if offered & JSON_TYPES:
        return None
    return 406, "This API answers in application/json only; the Accept header excludes it."


def checked_request(run):
    """Before validation: refuse malformed Accept headers and unknown query parameters
    (a misspelt filter silently ignored would return the wrong records)."""
    operation = run.__self__
    allowed = {
        name
        for model in operation.models
        if getattr(model, "__ninja_param_source__", "") == "query"
        for name in model.__ninja_flatten_map__
    }

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        problem = accept_problem(request.headers.get("Accept", ""))
        if problem:
            status, detail = problem
            return JsonResponse({"detail": detail, "errors": []}, status=status)
        unknown = sorted(set(request.GET) - allowed)
        if unknown:
            names = ", ".join(unknown)
            known = ", ".join(sorted(allowed)) or "none"
            return JsonResponse(
                {
                    "detail": f"Unknown query parameter(s): {names}. Accepted: {known}.",
                    "errors": [
                        {"loc": ["query", name], "msg": "unknown parameter"} for name in unknown
                    ],
                },
                status=400,
            )
        return run(request, *args, **kwargs)

    return wrapper


class ReadRouter(Router):
    """A router whose GET operations answer HEAD too (RFC 9110 says a server should):
    the same operation runs and the server sends its headers without the body."""

    def get(self, path: str, **kwargs):
        return self.api_operation(["GET", "HEAD"], path, **kwargs)


class OpenDataAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # Each operation's URL name ("object_list", "maker_detail"), unique in the
        # API, where ninja's default (module and function) repeats for the routers
        # one function makes for every kind of term.
        return operation.url_name

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        # HEAD goes without saying wherever GET is; listed, it would repeat each
        # GET's operationId, which must be unique in the document.
        for operations in schema["paths"].values():
            operations.pop("head", None)
        return schema


class AnonymousClientThrottle(AnonRateThrottle):
    """Ninja's per-address throttle, its rate read from settings on each request
    so tests (and settings overrides) can change API_ANON_RATE, counting under a
    keyed hash of the address: ninja's own key holds the address itself."""

    def __init__(self):
        super().__init__(settings.API_ANON_RATE)

    def get_cache_key(self, request: HttpRequest) -> str:
        return f"throttle_{self.scope}_{address_key(client_address(request))}"

    def allow_request(self, request: HttpRequest) -> bool:
        if self.rate != settings.API_ANON_RATE:
            self.rate = settings.API_ANON_RATE
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


api = OpenDataAPI(
    title="BAC Collection open data API",
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api",
    throttle=[AnonymousClientThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    # The document and the docs page revalidate like every answer.
    docs_decorator=revalidated,
    default_router=ReadRouter(),
)
# Order matters: the ETag is computed on whatever the checks and the operation answer.
api.add_decorator(checked_request, mode="view")
api.add_decorator(revalidated, mode="view")


@api.exception_handler(ValidationError)
def bad_request(request, exc: ValidationError):
    errors = [
        {"loc": list(error.get("loc", [])), "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    fields = ", ".join(".".join(str(part) for part in e["loc"][1:]) or "request" for e in errors)
    return api.create_response(
        request, {"detail": f"Invalid value for: {fields}.", "errors": errors}, status=400
    )


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(
        request, {"detail": str(exc) or "Not found.", "errors": []}, status=404
    )


ERRORS = {400: schemas.Error, 404: schemas.Error, 406: schemas.Error, 429: schemas.Error}


def _next_link(request: HttpRequest, after: int | None) -> str | None:
    if after is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor_encode(after_pk=after)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _after(params: schemas.PageParams) -> int | None:
    return cursor_decode(params.cursor) if params.cursor else None


# A slug in the path that could never be one (a NUL byte, which PostgreSQL
# refuses in text) is a 400 naming the parameter, not a database error.
SlugPath = Path(..., pattern=schemas.SLUG_PATTERN, max_length=200)


def _or_404(found, what: str):
    if found is None:
        raise Http404(f"No published {what} has this address.")
    return found


objects_router = ReadRouter(tags=["Objects"])


@objects_router.get("/", response={200: schemas.ObjectPage, **ERRORS}, url_name="object_list")
def object_list(request, params: Query[schemas.ObjectListParams]):
    """Published objects in catalogue order, filtered like the site's browse page."""
    filters = ObjectFilters(
        object_type=params.type,
        decade=params.decade,
        production=params.production,
        maker=params.maker,
        subject=params.subject,
        place=params.place,
        has_image=params.has_image,
    )
    page = selectors.object_page(filters=filters, after=_after(params), size=params.page_size)
    links = Links(request.build_absolute_uri)
    results = [object_summary_fields(record, links) for record in page.items]
    return {"next": _next_link(request, page.next_after), "results": results}


@objects_router.get(
    "/{slug}", response={200: schemas.ObjectDetail, **ERRORS}, url_name="object_detail"
)
def object_detail(request, slug: str = SlugPath):
    """One published object, with its images, subjects and places."""
    record = _or_404(selectors.object_record_public(slug=slug), "object")
    return object_detail_fields(record, Links(request.build_absolute_uri))


def _term_router(kind: str, singular: str, page_schema, out_schema, detail_schema) -> Router:
    router = ReadRouter(tags=[kind.capitalize()])

    @router.get("/", response={200: page_schema, **ERRORS}, url_name=f"{singular}_list")
    def term_list(request, params: Query[schemas.PageParams]):
        page = selectors.term_page(kind=kind, after=_after(params), size=params.page_size)
        return {"next": _next_link(request, page.next_after), "results": page.items}

    @router.get("/{slug}", response={200: detail_schema, **ERRORS}, url_name=f"{singular}_detail")
    def term_detail(request, slug: str = SlugPath):
        return _or_404(selectors.term_get_public(kind=kind, slug=slug), singular)

    term_list.__doc__ = f"{kind.capitalize()} with at least one published object, in id order."
    term_detail.__doc__ = f"One of the {kind}, by slug."
    return router


api.add_router("/objects", objects_router)
api.add_router(
    "/makers",
    _term_router("makers", "maker", schemas.MakerPage, schemas.MakerOut, schemas.MakerDetail),
)
api.add_router(
    "/productions",
    _term_router(
        "productions",
        "production",
        schemas.ProductionPage,
        schemas.ProductionOut,
        schemas.ProductionDetail,
    ),
)
api.add_router(
    "/types",
    _term_router(
        "types", "type", schemas.ObjectTypePage, schemas.ObjectTypeOut, schemas.ObjectTypeOut
    ),
)
api.add_router(
    "/subjects",
    _term_router(
        "subjects", "subject", schemas.SubjectPage, schemas.SubjectOut, schemas.SubjectOut
    ),
)
api.add_router(
    "/places",
    _term_router("places", "place", schemas.PlacePage, schemas.PlaceOut, schemas.PlaceOut),
)


stories_router = ReadRouter(tags=["Stories"])


@stories_router.get("/", response={200: schemas.StoryPage, **ERRORS}, url_name="story_list")
def story_list(request, params: Query[schemas.PageParams]):
    """Published stories, in id order."""
    page = selectors.story_page(after=_after(params), size=params.page_size)
    return {"next": _next_link(request, page.next_after), "results": page.items}


@stories_router.get(
    "/{slug}", response={200: schemas.StoryDetail, **ERRORS}, url_name="story_detail"
)
def story_detail(request, slug: str = SlugPath):
    """One published story, with its text."""
    return _or_404(selectors.story_get_public(slug=slug), "story")


memories_router = ReadRouter(tags=["Memories"])


@memories_router.get("/", response={200: schemas.MemoryPage, **ERRORS}, url_name="memory_list")
def memory_list(request, params: Query[schemas.PageParams]):
    """Community memories that were approved and that their contributors shared
    under CC BY 4.0, in id order. Memories shared for this site only never appear."""
    page = selectors.memory_page(after=_after(params), size=params.page_size)
    return {"next": _next_link(request, page.next_after), "results": page.items}


@memories_router.get(
    "/{public_id}", response={200: schemas.MemoryOut, **ERRORS}, url_name="memory_detail"
)
def memory_detail(request, public_id: UUID):
    """One openly licensed memory."""
    return _or_404(selectors.memory_get_open(public_id=public_id), "memory")


calls_router = ReadRouter(tags=["Calls for memories"])


@calls_router.get("/", response={200: call_schemas.CallPage, **ERRORS}, url_name="call_list")
def call_list(request, params: Query[schemas.PageParams]):
    """Calls for memories (open and closed), in id order."""
    page = selectors.call_page(after=_after(params), size=params.page_size)
    return {"next": _next_link(request, page.next_after), "results": page.items}


@calls_router.get(
    "/{call_id}", response={200: call_schemas.CallOut, **ERRORS}, url_name="call_detail"
)
def call_detail(request, call_id: int = Path(..., ge=1, le=2**63 - 1)):
    """One call for memories."""
    return _or_404(call_selectors.call_get_public(pk=call_id), "call")


api.add_router("/stories", stories_router)
api.add_router("/memories", memories_router)
api.add_router("/calls", calls_router)


@api.get(
    "/search", response={200: schemas.SearchPage, **ERRORS}, tags=["Search"], url_name="search"
)
def search(request, params: Query[schemas.SearchParams]):
    """Search the open data (objects and stories) as the site's search page does (the
    search engine when configured, the database otherwise), with facet counts. Object
    filters (type, production, maker, subject) narrow the results to objects. Openly
    licensed memories are listed at /memories rather than searched here."""
    filters = {
        "kind": params.kind,
        "type": params.type,
        "decade": params.decade,
        "production": params.production,
        "maker": params.maker,
        "subject": params.subject,
        "image": None if params.has_image is None else ("yes" if params.has_image else "no"),
    }
    results = run_search(
        SearchRequest(
            query=" ".join(params.q.split()),
            filters={name: str(value) for name, value in filters.items() if value is not None},
            page=params.page,
            # Open data only: memories shared "for this site only" never leave the
            # site, so memories are listed (the open ones) at /memories, not searched.
            kinds=open_data_kinds(),
        )
    )
    last_page = min(-(-results.total // PAGE_SIZE), MAX_PAGE)
    next_url = None
    if params.page < last_page:
        query = request.GET.copy()
        query["page"] = params.page + 1
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "total": results.total,
        "page": params.page,
        "next": next_url,
        "suggestion": results.suggestion,
        "corrected_from": results.corrected_from,
        "results": results.hits,
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in results.facets.items()
        },
    }
