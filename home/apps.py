from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from .models import HomePage
        from .selectors import home_page_context

        HomePage.page_context_builder = staticmethod(home_page_context)
