from django.apps import AppConfig


class IdentificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "identifications"
    verbose_name = "Identifications"
