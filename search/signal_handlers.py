"""Keep the search indexes in step with the archive.

Every handler only queues work (search/sync.py), after commit: a save never
waits for, or fails because of, the search engine. Fixture loads (`raw`) are
skipped; `search_index rebuild` covers them.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.signals import published, unpublished

from objects.models import (
    CollectionObject,
    Maker,
    ObjectImage,
    ObjectMaker,
    ObjectType,
    Place,
    Production,
    Subject,
)
from objects.signals import objects_changed

from .indexing import OBJECT_LABEL, object_pks_mentioning
from .sync import enqueue_index_update

# Records whose names appear in objects' search text.
MENTIONED_MODELS = (Maker, Production, Subject, Place, ObjectType)


def _label(model) -> str:
    return model._meta.label


def object_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue_index_update(OBJECT_LABEL, [instance.pk])


def object_child_changed(sender, instance, raw=False, **kwargs):
    """A maker or image row added, edited or removed: its object changed."""
    if not raw:
        enqueue_index_update(OBJECT_LABEL, [instance.object_id])


def objects_bulk_changed(sender, pks, **kwargs):
    """Objects written in bulk (imports, merged object types): no post_save was sent."""
    enqueue_index_update(OBJECT_LABEL, pks)


def object_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Subjects or places linked or unlinked, from either side."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        pks = [instance.pk]
    elif pk_set is not None:
        pks = pk_set
    else:  # a subject or place clearing all its objects
        pks = object_pks_mentioning(_label(type(instance)), [instance.pk])
    enqueue_index_update(OBJECT_LABEL, pks)


def mentioned_changed(sender, instance, created=False, raw=False, **kwargs):
    """A renamed maker or production: reindex the objects that mention it
    (resolved in the task, so a save never waits on a big production)."""
    if not raw and not created:
        enqueue_index_update(_label(sender), [instance.pk])


def mentioned_deleting(sender, instance, **kwargs):
    """Before delete, while the links still exist: SET_NULL and m2m cascades
    send no signals for the objects they change."""
    enqueue_index_update(OBJECT_LABEL, object_pks_mentioning(_label(sender), [instance.pk]))


def register_signal_handlers():
    uid = "search:"
    post_save.connect(object_changed, sender=CollectionObject, dispatch_uid=uid + "object-save")
    post_delete.connect(object_changed, sender=CollectionObject, dispatch_uid=uid + "object-del")
    published.connect(object_changed, sender=CollectionObject, dispatch_uid=uid + "published")
    unpublished.connect(object_changed, sender=CollectionObject, dispatch_uid=uid + "unpublished")
    objects_changed.connect(objects_bulk_changed, dispatch_uid=uid + "objects-bulk")
    for child in (ObjectMaker, ObjectImage):
        name = child._meta.model_name
        post_save.connect(object_child_changed, sender=child, dispatch_uid=f"{uid}{name}-save")
        post_delete.connect(object_child_changed, sender=child, dispatch_uid=f"{uid}{name}-del")
    for through in (CollectionObject.subjects.through, CollectionObject.places.through):
        m2m_changed.connect(object_m2m_changed, sender=through, dispatch_uid=f"{uid}{through}")
    for model in MENTIONED_MODELS:
        name = model._meta.model_name
        post_save.connect(mentioned_changed, sender=model, dispatch_uid=f"{uid}{name}-save")
        pre_delete.connect(mentioned_deleting, sender=model, dispatch_uid=f"{uid}{name}-del")
