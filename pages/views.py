from django.shortcuts import render
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


def too_many_requests(request, exception=None):
    """Shown when a rate limit (django-ratelimit) refuses a request."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "300"
    return response
