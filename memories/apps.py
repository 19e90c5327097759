from django.apps import AppConfig


class MemoriesConfig(AppConfig):
    name = "memories"
    verbose_name = "Community memories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from pages.cache import page_cache_invalidate_on_change

        from .models import Memory

        # Approved memories show on object, production, story and home pages.
        page_cache_invalidate_on_change(Memory)
