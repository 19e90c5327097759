from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = "Calls for memories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .open_flag import register_signal_handlers

        register_signal_handlers()
