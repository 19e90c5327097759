from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Sharing"

    def ready(self):
        from . import providers  # noqa: F401  (registers the oEmbed providers)
