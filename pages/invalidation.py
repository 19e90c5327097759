"""What each change retires from the page cache, for the records that change often:
collection objects (curators' edits) and memories (moderation). The tags and what
shows them are described in foundation/page_cache.py; the way scopes work in
foundation/page_cache_changes.py.

- An object's change retires `object:<id>`; `objects` only when a field lists depend
  on changes; `objects:titles` when its title changes (and any object created or
  removed); `objects:production:<id>` / `objects:maker:<id>` when it moves in or out
  of those "more from" lists.
- A memory's change retires `memory:<id>`, `memories` and `memories:object:<id>`.

Every other change retires every page (the site generation).
"""

from django.apps import apps
from django.db.models.signals import m2m_changed

from foundation.page_cache import MEMORIES, OBJECTS, TITLES, page_cache_record_tags
from foundation.page_cache_changes import page_cache_bump_on_commit, page_cache_scope

# What collection lists filter, sort or count objects by (objects/selectors.py):
# a change to any of these moves the object in or out of lists, or within them.
LISTED_BY = (
    "live",
    "date_earliest",
    "object_type_id",
    "production_id",
    "has_image",
    "first_published_at",
)


def object_tags(obj) -> list[str]:
    return [f"object:{obj.pk}"]


def _object_before(obj) -> dict | None:
    return type(obj)._default_manager.filter(pk=obj.pk).values("title", *LISTED_BY).first()


def _changed(obj, before: dict | None, names, update_fields) -> bool:
    if before is None:  # new, or deleted
        return True
    if update_fields is not None:
        names = set(names) & set(update_fields)
    return any(getattr(obj, name) != before[name] for name in names)


def _object_tags_for(obj, before: dict | None, update_fields) -> list[str]:
    tags = object_tags(obj)
    if _changed(obj, before, ("title",), update_fields):
        tags.append(TITLES)
    if not _changed(obj, before, LISTED_BY, update_fields):
        return tags  # shown differently, listed the same: only the pages showing it
    tags.append(OBJECTS)  # lists sorted by title depend on it too
    # "More from this production" lists by date, "more by" by id: a new title moves
    # the object in neither (its own tag retires the pages showing it).
    if _changed(obj, before, ("live", "production_id", "date_earliest"), update_fields):
        productions = {obj.production_id, before["production_id"] if before else None}
        tags += [f"objects:production:{pk}" for pk in productions - {None}]
    if _changed(obj, before, ("live",), update_fields):
        maker_ids = obj.object_makers.model.objects.filter(object_id=obj.pk).values_list(
            "maker_id", flat=True
        )
        tags += [f"objects:maker:{pk}" for pk in maker_ids]
    return tags


def _object_maker_before(link) -> dict | None:
    return (
        type(link)
        ._default_manager.filter(pk=link.pk)
        .values("object_id", "maker_id", "role", "sort_order")
        .first()
    )


def _object_maker_tags_for(link, before: dict | None, update_fields) -> list[str]:
    now = {name: getattr(link, name) for name in ("object_id", "maker_id", "role", "sort_order")}
    if before == now:
        return []  # saved unchanged (an object's makers are all saved with it)
    tags = [f"object:{link.object_id}", f"objects:maker:{link.maker_id}"]
    if before is None or (before["object_id"], before["maker_id"]) != (
        link.object_id,
        link.maker_id,
    ):
        tags.append(OBJECTS)
        if before is not None:
            tags += [f"object:{before['object_id']}", f"objects:maker:{before['maker_id']}"]
    return tags


def _memory_before(memory) -> dict | None:
    return type(memory)._default_manager.filter(pk=memory.pk).values("object_id").first()


def _memory_tags_for(memory, before: dict | None, update_fields) -> list[str]:
    objects = {memory.object_id, before["object_id"] if before else None} - {None}
    return [
        f"memory:{memory.pk}",
        MEMORIES,
        *(f"memories:object:{pk}" for pk in objects),
    ]


def _terms_changed(sender, instance, action, reverse, **kwargs) -> None:
    """An object's subjects or places (m2m_changed): its page and the lists."""
    if action in ("post_add", "post_remove", "post_clear"):
        page_cache_bump_on_commit(None if reverse else [*object_tags(instance), OBJECTS])


def register_scopes() -> None:
    objects = apps.get_app_config("objects")
    collection_object = objects.get_model("CollectionObject")
    page_cache_record_tags(collection_object, "object")
    page_cache_scope(collection_object, tags_for=_object_tags_for, before=_object_before)
    for name in ("subjects", "places"):
        m2m_changed.connect(
            _terms_changed,
            sender=getattr(collection_object, name).through,
            dispatch_uid=f"pagecache:objects-{name}",
        )
    page_cache_scope(
        objects.get_model("ObjectMaker"),
        tags_for=_object_maker_tags_for,
        before=_object_maker_before,
    )
    if apps.is_installed("memories"):
        memory = apps.get_model("memories", "Memory")
        page_cache_record_tags(memory, "memory")
        page_cache_scope(memory, tags_for=_memory_tags_for, before=_memory_before, bulk=True)
