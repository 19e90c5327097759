from pathlib import Path

from django.conf import settings
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Crawlers skip what is private, random or endless (search result and filter pages
# are also marked noindex); everything else, and the sitemap, is theirs.
ROBOTS_DISALLOW = ["/admin/", "/search/", "/collection/never-seen/", "/memories/yours/"]


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}")
    return render(request, "pages/robots.txt", {"lines": lines}, content_type="text/plain")


FAVICON = Path(settings.BASE_DIR) / "static" / "icons" / "favicon.ico"
# What a phone's "Add to home screen" shows (the icons come from static files).
MANIFEST_ICONS = [
    ("icons/icon.svg", "any", "image/svg+xml", "any"),
    ("icons/icon-192.png", "192x192", "image/png", "any"),
    ("icons/icon-512.png", "512x512", "image/png", "any"),
    ("icons/icon-maskable-512.png", "512x512", "image/png", "maskable"),
]


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: answer it."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def web_manifest(request):
    manifest = {
        "name": "BAC Collection: Battersea Arts Centre's archive",
        "short_name": "BAC Collection",
        "start_url": "/",
        "display": "browser",
        "background_color": "#fdfcf9",
        "theme_color": "#8a1c1c",
        "icons": [
            {"src": static(path), "sizes": sizes, "type": kind, "purpose": purpose}
            for path, sizes, kind, purpose in MANIFEST_ICONS
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


def too_many_requests(request, exception=None):
    """Shown when a rate limit (django-ratelimit) refuses a request."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "300"
    return response
