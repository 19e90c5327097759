"""Keep the cached vocabulary in step with the object types staff edit."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import ObjectType
from .selectors import OBJECT_TYPES_CACHE_KEY


def object_types_changed(sender, **kwargs):
    # Now, for this process, and again after commit, in case another process
    # cached the old terms in between.
    cache.delete(OBJECT_TYPES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(OBJECT_TYPES_CACHE_KEY))


def register_signal_handlers():
    post_save.connect(object_types_changed, sender=ObjectType, dispatch_uid="objects:type-save")
    post_delete.connect(object_types_changed, sender=ObjectType, dispatch_uid="objects:type-del")
