from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        # Each app declares its kinds of searchable content in its search.py.
        autodiscover_modules("search")
        register_signal_handlers()
