from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Archive images"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from .signal_handlers import register_signal_handlers

        # Pillow refuses outright at twice this; our own check (validation.py)
        # refuses above it, from the header, before any decoding.
        Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
        register_signal_handlers()
