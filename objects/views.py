"""Public pages of the collection. Reads go through objects.selectors."""

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from foundation.page_cache import MEMORIES, OBJECTS, TITLES, page_cache_depends_on
from foundation.sample import shows_sample_content

from . import selectors
from .forms import BrowseForm
from .models import Maker, Place, Production, Subject
from .presentation import object_detail_context
from .view_counts import object_view_record


def browse(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET)
    filters = form.filters()
    # And the objects listed (pages/invalidation.py); titles only if sorted by them.
    page_cache_depends_on(OBJECTS, *([TITLES] if "title" in filters.sort else []))
    page = selectors.object_page(
        objects=selectors.object_browse_queryset(filters=filters),
        page_number=request.GET.get("page"),
        count_key=f"browse:{filters.cache_key}",
    )
    return render(
        request,
        "objects/browse.html",
        {
            "form": form,
            "filters": filters,
            "filters_in_use": sum(
                map(bool, (filters.object_type, filters.decade is not None, filters.has_image))
            ),
            "page": page,
            "clear_production_url": _browse_url(request, production=None),
            "only_images_url": _browse_url(request, has_image="on"),
            "all_objects_url": _browse_url(request, has_image=None),
            "shows_sample_data": shows_sample_content(page),
        },
    )


def _browse_url(request: HttpRequest, **changes) -> str:
    """This browse page's query with some parameters set (None removes them),
    back on the first page."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    return f"?{params.urlencode()}"


# OpenSeadragon (the zoom viewer, static/vendor/) adds one <style> element of its own,
# a focus rule for touch screens, and has no setting to leave it out. The policy
# allows exactly that text, by its hash, on object pages only (no 'unsafe-inline').
# tests/objects/test_zoom_viewer_policy.py recomputes the hash from the vendored
# file, so an upgrade that changes the rule fails there, not in visitors' browsers.
ZOOM_VIEWER_STYLE = {"style-src": ["'sha256-9xTiqzfwFaL2SGb1rmr8gysEwVVjIvqWAgmZgqFqpEE='"]}


@csp_update(ZOOM_VIEWER_STYLE)
def object_detail(request: HttpRequest, slug: str) -> HttpResponse:
    obj = selectors.object_get_live(slug=slug)
    if obj is None:
        raise Http404("No published object has this address.")
    object_view_record(object_id=obj.pk)
    context = object_detail_context(obj=obj, request=request)
    # Beside the objects shown: its memories and the lists its related objects come
    # from. Its "Featured in" stories tag the page as they load (`story:<id>`).
    page_cache_depends_on(
        f"memories:object:{obj.pk}",
        *(f"objects:production:{pk}" for pk in [obj.production_id] if pk),
        *(f"objects:maker:{m.maker_id}" for m in context["makers"]),
    )
    response = render(request, "objects/object_detail.html", context)
    # Kept with the cached page, so a cache hit counts its view with no query.
    response.counted_object_id = obj.pk
    return response


def _listing(request, *, heading_object, kind: str, objects, template: str) -> HttpResponse:
    # A production page shows its memories too.
    page_cache_depends_on(OBJECTS, *([MEMORIES] if kind == "production" else []))
    page = selectors.object_page(
        objects=objects,
        page_number=request.GET.get("page"),
        count_key=f"{kind}:{heading_object.pk}",
    )
    return render(
        request,
        template,
        {
            "heading_object": heading_object,
            "kind": kind,
            "page": page,
            "shows_sample_data": shows_sample_content(page),
        },
    )


def maker(request: HttpRequest, slug: str) -> HttpResponse:
    maker = get_object_or_404(Maker, slug=slug)
    return _listing(
        request,
        heading_object=maker,
        kind="maker",
        objects=selectors.objects_for_maker(maker=maker),
        template="objects/maker.html",
    )


def production(request: HttpRequest, slug: str) -> HttpResponse:
    production = get_object_or_404(Production, slug=slug)
    return _listing(
        request,
        heading_object=production,
        kind="production",
        objects=selectors.objects_for_production(production=production),
        template="objects/production.html",
    )


def subject(request: HttpRequest, slug: str) -> HttpResponse:
    subject = get_object_or_404(Subject, slug=slug)
    return _listing(
        request,
        heading_object=subject,
        kind="subject",
        objects=selectors.objects_for_subject(subject=subject),
        template="objects/term.html",
    )


def place(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=slug)
    return _listing(
        request,
        heading_object=place,
        kind="place",
        objects=selectors.objects_for_place(place=place),
        template="objects/term.html",
    )


@never_cache
def never_seen(request: HttpRequest) -> HttpResponse:
    """Redirect to a random published object with an image that few have viewed."""
    obj = selectors.object_pick_unseen()
    if obj is None:
        return render(request, "objects/never_seen_empty.html", status=404)
    return redirect(obj)
