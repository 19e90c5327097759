from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = "Calls for memories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .feeds import CallResponsesFeed
        from .models import CallIndexPage, CallPage
        from .open_flag import register_signal_handlers
        from .selectors import call_listing_context, call_page_context

        register_signal_handlers()
        # The page model serves itself with builders that query it (see CallPage).
        CallPage.page_context_builder = staticmethod(call_page_context)
        CallPage.feed_class = CallResponsesFeed
        CallIndexPage.listing_context_builder = staticmethod(call_listing_context)
