from django.apps import AppConfig


def _reply_published(sender, instance, **kwargs):
    """A reply published: "the BAC team replied", after commit, if they asked."""
    from .updates import queue_reply_notice

    queue_reply_notice(instance)


class MemoriesConfig(AppConfig):
    name = "memories"
    verbose_name = "Community memories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import published

        from foundation.page_cache_changes import page_cache_invalidate_on_change
        from images.access import RESTRICTED_IMAGES
        from images.deep_zoom import TILE_HOLDS

        from .models import Memory, MemoryReply
        from .selectors import memory_photo_public, tiles_held_for_memory_photo

        # Approved memories, and their replies, show on object, production, call,
        # story and home pages.
        page_cache_invalidate_on_change(Memory, MemoryReply)
        published.connect(_reply_published, sender=MemoryReply, dispatch_uid="memories:reply")
        TILE_HOLDS.append(tiles_held_for_memory_photo)
        RESTRICTED_IMAGES.append(memory_photo_public)
