from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Open data"

    def ready(self):
        from corsheaders.signals import check_request_enabled

        from .middleware import cors_for_negotiated_linked_data

        check_request_enabled.connect(cors_for_negotiated_linked_data)
