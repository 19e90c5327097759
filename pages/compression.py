import re

from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/html", "application/xml", "text/plain")
# Django's GZipMiddleware's own test of the header.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


class PageGZipMiddleware(GZipMiddleware):
    """Compresses the pages the site renders (HTML, sitemaps, robots.txt); static files
        come pre-compressed from WhiteNoise, and API and download responses are left as
        their apps made them. Django's middleware pads compressed pages against BREACH.

    It sits inside the page cache, which stores pages compressed: a cached page holds no
    secret of one visitor (the cache keeps no page that sets a cookie or varies on one),
    so serving its padding again gives BREACH nothing to compare."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
