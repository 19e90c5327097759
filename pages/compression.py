from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/html", "application/xml", "text/plain")


class PageGZipMiddleware(GZipMiddleware):
    """Compresses the pages the site renders (HTML, sitemaps, robots.txt); static files
    come pre-compressed from WhiteNoise, and API and download responses are left as
    their apps made them. Django's middleware pads compressed pages against BREACH."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
