from django.middleware.gzip import GZipMiddleware, re_accepts_gzip

COMPRESSED_TYPES = ("text/html", "application/xml", "text/plain")


def accepts_gzip(request) -> bool:
    """Whether GZipMiddleware will compress for this request (its own test)."""
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


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
