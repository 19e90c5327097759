from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Impact"

    def ready(self):
        from pages.cache import page_cache_hit

        from .counting import count_cached_page

        page_cache_hit.connect(count_cached_page, dispatch_uid="impact:count-cached-page")
