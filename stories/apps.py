from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self):
        from foundation.page_cache_changes import page_cache_invalidate_on_change

        from .models import StaffProfile, Theme

        # Stories show their authors and themes: renaming either changes cached pages.
        # (Publishing, unpublishing and moving stories already invalidates them.)
        page_cache_invalidate_on_change(StaffProfile, Theme)
