from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site pages"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
