from django.apps import AppConfig


class ObjectsConfig(AppConfig):
    name = "objects"
    verbose_name = "Collection"

    def ready(self):
        from images.deep_zoom import TILE_HOLDS

        from . import lookups  # noqa: F401  (registers field__any)
        from .image_warnings import tiles_held_by_warning
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        TILE_HOLDS.append(tiles_held_by_warning)
