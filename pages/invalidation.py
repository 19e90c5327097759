"""What each change retires from the page cache, for the records that change often:
collection objects (curators' edits) and memories (moderation). The tags and what
shows them are described in foundation/page_cache.py; the way scopes work in
foundation/page_cache_changes.py.

- An object's change retires `object:<id>`; `objects` only when a field lists depend
  on changes; `objects:titles` when its title changes (and any object created or
  removed); `objects:production:<id>` / `objects:maker:<id>` when it moves in or out
  of those "more from" lists.
- Objects changed in bulk (an import's batch, a term merge: records_changed) retire
  each one's `object:<id>`, the lists (`objects`, `objects:titles`) and the "more
  from" lists of their productions and makers; more than BULK_OBJECTS_LIMIT at once
  retire every page.
- A memory's change retires `memory:<id>`, `memories` and `memories:object:<id>`.
- An image's change (processed, its renditions renewed, its focal point moved)
  retires `image:<id>`: the pages that loaded it. An object's image added or removed
  retires the object's pages and the lists (which put objects with images first).
- A term renamed (maker, production, subject, place, object type) retires the pages
  that loaded it (`maker:<id>`, ...: its own page, the objects naming it) and the
  lists, whose facets name it.

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


# Objects announced changed at once beyond which every page is retired instead of
# each object's pages. Scoping costs two `pk IN (...)` reads over the ids and one
# Redis key per object (kept: a generation outlives the pages stored under it), so
# it pays while the objects are a small part of what visitors see. An import
# announces each batch (1,000 rows by default, objects/services.py), so any import
# stays scoped batch by batch; one announcement of more than this (a term used by
# thousands of objects merged into another) changes most of the object pages a
# visitor reaches and their lists anyway, and a global bump is then two keys.
BULK_OBJECTS_LIMIT = 5000


def _objects_bulk_tags(pks: list) -> list[str] | None:
    """Objects written without save(): their pages, the lists, and the "more from"
    lists they are in now (the pages of those they left loaded them: their tags)."""
    if len(pks) > BULK_OBJECTS_LIMIT:
        return None
    collection_object = apps.get_model("objects", "CollectionObject")
    object_maker = apps.get_model("objects", "ObjectMaker")
    productions = (
        collection_object._default_manager.filter(pk__in=pks, production_id__isnull=False)
        .values_list("production_id", flat=True)
        .distinct()
    )
    makers = (
        object_maker._default_manager.filter(object_id__in=pks)
        .values_list("maker_id", flat=True)
        .distinct()
    )
    return [
        *(f"object:{pk}" for pk in pks),
        OBJECTS,
        TITLES,
        *(f"objects:production:{pk}" for pk in productions),
        *(f"objects:maker:{pk}" for pk in makers),
    ]


def _image_tags_for(image, before, update_fields) -> list[str]:
    return [f"image:{image.pk}"]


def _object_image_before(link) -> dict | None:
    return type(link)._default_manager.filter(pk=link.pk).values("object_id", "image_id").first()


def _object_image_tags_for(link, before: dict | None, update_fields) -> list[str]:
    links = [{"object_id": link.object_id, "image_id": link.image_id}, before or {}]
    return [
        *dict.fromkeys(f"object:{row['object_id']}" for row in links if row),
        *dict.fromkeys(f"image:{row['image_id']}" for row in links if row),
        OBJECTS,  # lists put objects with images first, and show the first image
    ]


# Terms: the tag prefix of each, recorded by every page that loads one.
TERM_TAGS = {
    "Maker": "maker",
    "Production": "production",
    "Subject": "subject",
    "Place": "place",
    "ObjectType": "objecttype",
}


def _term_tags_for(term, before, update_fields) -> list[str]:
    # Its pages and the objects' pages naming it loaded it; browse's facets and the
    # term pages' lists name it from cached labels: the lists.
    return [f"{TERM_TAGS[type(term).__name__]}:{term.pk}", OBJECTS]


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
    page_cache_scope(
        collection_object,
        tags_for=_object_tags_for,
        before=_object_before,
        bulk=_objects_bulk_tags,
    )
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
    page_cache_scope(
        objects.get_model("ObjectImage"),
        tags_for=_object_image_tags_for,
        before=_object_image_before,
    )
    for name, prefix in TERM_TAGS.items():
        term = objects.get_model(name)
        page_cache_record_tags(term, prefix)
        page_cache_scope(term, tags_for=_term_tags_for)
    image = apps.get_model("images", "ArchiveImage")
    page_cache_record_tags(image, "image")
    page_cache_scope(image, tags_for=_image_tags_for, bulk=True)
    if apps.is_installed("memories"):
        memory = apps.get_model("memories", "Memory")
        page_cache_record_tags(memory, "memory")
        page_cache_scope(memory, tags_for=_memory_tags_for, before=_memory_before, bulk=True)
