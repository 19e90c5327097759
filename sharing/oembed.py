"""oEmbed (https://oembed.com/) for the site's pages: a registry of what can be
embedded, and the JSON answer.

A kind of page joins in with one line:

    oembed.register_view("memories:detail", memory_embed)   # a Django view, by URL name
    oembed.register_page(CallPage, image="image")            # a Wagtail page type

(sharing/providers.py registers objects, stories and memories.) A URL is
embedded only if it is on this site, resolves to a registered view or a live,
public page of a registered type, and its provider finds something public there.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from django.utils.html import escape
from wagtail.models import Page, Site

from images.templatetags.archive_images import social_image_url

PROVIDER_NAME = "BAC Collection"
# How long consumers may keep an answer (seconds).
CACHE_AGE = 3600
SHARE_IMAGE_SIZE = (1200, 630)


@dataclass(frozen=True)
class Embed:
    title: str
    url: str
    author_name: str = ""
    thumbnail_url: str = ""
    # A "rich" embed: the address of a card that may be framed, and its size.
    frame_url: str = ""
    frame_size: tuple[int, int] = (0, 0)
    extra: dict = field(default_factory=dict)


ViewProvider = Callable[..., Embed | None]
_views: dict[str, ViewProvider] = {}
_pages: dict[type, Callable[[HttpRequest, Page], Embed]] = {}


def register_view(url_name: str, provider: ViewProvider) -> None:
    """`provider(request, **url_kwargs)` returns an Embed, or None (nothing public there)."""
    _views[url_name] = provider


def register_page(model: type[Page], *, image: str = "") -> None:
    """Embed live pages of `model` as links: title, description and the image in
    its field `image` (if any) as the thumbnail."""

    def provider(request, page):
        picture = getattr(page, image, None) if image else None
        return Embed(
            title=page.seo_title or page.title,
            url=request.build_absolute_uri(page.url),
            thumbnail_url=social_image_url({"request": request}, picture) if picture else "",
        )

    _pages[model] = provider


def on_this_site(request: HttpRequest, url: str) -> bool:
    """Whether `url` is an address on this site (the host asked, or its public address)."""
    parts = urlsplit(url.strip())
    hosts = {request.get_host().lower(), urlsplit(settings.SITE_BASE_URL).netloc.lower()}
    return parts.scheme in ("http", "https") and parts.netloc.lower() in hosts


def embed_for(request: HttpRequest, url: str) -> Embed | None:
    """The embed for `url`, or None when it is not something this site embeds."""
    if not on_this_site(request, url):
        return None
    path = urlsplit(url.strip()).path or "/"
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in _views:
        return _views[match.view_name](request, **match.kwargs)
    return _page_embed(request, path)


def _page_embed(request: HttpRequest, path: str) -> Embed | None:
    site = Site.find_for_request(request)
    if site is None or not _pages:
        return None
    components = [part for part in path.split("/") if part]
    try:
        page = site.root_page.localized.specific.route(request, components).page
    except Http404:
        return None
    page = page.specific
    provider = _pages.get(type(page))
    if provider is None or not page.live or page.get_view_restrictions().exists():
        return None
    return provider(request, page)


def oembed_answer(embed: Embed, *, maxwidth: int | None, maxheight: int | None) -> dict:
    """The oEmbed 1.0 JSON for `embed`, within the consumer's size limits."""
    answer = {
        "version": "1.0",
        "type": "link",
        "title": embed.title,
        "provider_name": PROVIDER_NAME,
        "provider_url": settings.SITE_BASE_URL.rstrip("/") + "/",
        "cache_age": CACHE_AGE,
        **embed.extra,
    }
    if embed.author_name:
        answer["author_name"] = embed.author_name
    width, height = SHARE_IMAGE_SIZE
    if embed.thumbnail_url and _fits(width, height, maxwidth, maxheight):
        answer.update(
            thumbnail_url=embed.thumbnail_url, thumbnail_width=width, thumbnail_height=height
        )
    if embed.frame_url:
        width, height = _scaled(*embed.frame_size, maxwidth, maxheight)
        answer.update(
            type="rich",
            width=width,
            height=height,
            html=(
                f'<iframe src="{escape(embed.frame_url)}" width="{width}" height="{height}" '
                f'title="{escape(embed.title)}" loading="lazy" referrerpolicy="no-referrer" '
                'sandbox="allow-popups allow-popups-to-escape-sandbox" frameborder="0"></iframe>'
            ),
        )
    return answer


def _fits(width, height, maxwidth, maxheight) -> bool:
    return (maxwidth is None or width <= maxwidth) and (maxheight is None or height <= maxheight)


def _scaled(width, height, maxwidth, maxheight) -> tuple[int, int]:
    """The frame's size, shrunk to the consumer's limits keeping its proportions."""
    scale = min(
        1.0,
        (maxwidth / width) if maxwidth else 1.0,
        (maxheight / height) if maxheight else 1.0,
    )
    return max(1, int(width * scale)), max(1, int(height * scale))
