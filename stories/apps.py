from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self):
        from foundation.page_cache_changes import page_cache_invalidate_on_change

        from .feeds import StoryFeed
        from .models import StaffProfile, StoryIndexPage, StoryPage, Theme
        from .selectors import story_listing_context, story_page_context

        StoryIndexPage.listing_context_builder = staticmethod(story_listing_context)
        StoryIndexPage.feed_class = StoryFeed
        StoryPage.page_context_builder = staticmethod(story_page_context)

        # Stories show their authors and themes: renaming either changes cached pages.
        # (Publishing, unpublishing and moving stories already invalidates them.)
        page_cache_invalidate_on_change(StaffProfile, Theme)
