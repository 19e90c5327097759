from django.apps import AppConfig


class IdentificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "identifications"
    verbose_name = "Identifications"

    def ready(self):
        from objects.selectors import OBJECT_PAGE_ANNOTATIONS

        from .selectors import provenance_annotation

        # The object page's provenance: what the public helped identify, read in the
        # page's own query (objects names no app above it).
        OBJECT_PAGE_ANNOTATIONS["public_identifications"] = provenance_annotation
