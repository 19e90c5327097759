from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class FoundationConfig(AppConfig):
    """What every app shares and no app owns: absolute URLs, the visitor's address,
    plain text, the paginator and its tags, the random pick, the "records changed"
    signal and the page cache's API (what a page shows, bumping on change). It
    imports no app of the site (docs/architecture.md)."""

    name = "foundation"
    verbose_name = "Foundation"

    def ready(self):
        from .page_cache import page_cache_request_finished, page_cache_request_started

        request_started.connect(page_cache_request_started, dispatch_uid="page_cache_request")
        request_finished.connect(page_cache_request_finished, dispatch_uid="page_cache_request")
