"""Writes to the collection's vocabulary: object types added for a catalogue's
terms, and makers, subjects, places and productions found or created by name.

The one place these rows are created, called by the importer
(objects/importing/) and by objects/services.py; it imports neither.
"""

import re
from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from .importing.rows import ProductionKey
from .importing.slugs import allocate_slugs
from .models import Maker, ObjectType, Place, Production, Subject

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def object_types_add(*, names: Iterable[str]) -> dict[str, ObjectType]:
    """New object types for a catalogue's own terms, marked for staff to review."""
    max_length = ObjectType._meta.get_field("name").max_length
    created = {}
    for name in sorted(set(names)):
        term = ObjectType(name=name[:max_length], added_by_import=True)
        term.save()  # Saved one by one: each save drops the cached vocabulary.
        created[name] = term
    return created


# These helpers use `_default_manager`: on Production, Subject and Place the
# name `objects` is the reverse accessor of CollectionObject's related_name.


def _names_ensure(model, names: Iterable[str]) -> dict[str, int]:
    """Ids of the named rows, creating the missing ones in one bulk insert."""
    wanted = sorted(set(names))
    ids = dict(model._default_manager.filter(name__any=wanted).values_list("name", "pk"))
    missing = [name for name in wanted if name not in ids]
    if missing:
        slug_length = model._meta.get_field("slug").max_length
        slugs = allocate_slugs(model, missing, max_length=slug_length)
        created = model._default_manager.bulk_create(
            model(name=name, slug=slug) for name, slug in zip(missing, slugs, strict=True)
        )
        ids.update((obj.name, obj.pk) for obj in created)
    return ids


def makers_ensure(*, names: Iterable[str]) -> dict[str, int]:
    """Maker ids by name. New makers are people until staff say otherwise."""
    return _names_ensure(Maker, names)


def subjects_ensure(*, names: Iterable[str]) -> dict[str, int]:
    """Subject ids by name, creating the missing ones."""
    return _names_ensure(Subject, names)


def places_ensure(*, names: Iterable[str]) -> dict[str, int]:
    """Place ids by name, creating the missing ones."""
    return _names_ensure(Place, names)


def productions_ensure(*, keys: Iterable[ProductionKey]) -> dict[ProductionKey, int]:
    """Production ids by (title, date as displayed), creating the missing ones.

    Existing productions stay as staff edited them: an import only says which
    production an object belongs to. A date given as an ISO date
    ("1998-05-14") also becomes the new production's start date.
    """
    keys = set(keys)
    matching = Q(pk__in=[])
    for key in keys:
        matching |= Q(title=key.title, date_display=key.date_display)
    ids = {
        ProductionKey(title, date_display): pk
        for pk, title, date_display in Production._default_manager.filter(matching).values_list(
            "pk", "title", "date_display"
        )
    }
    missing = sorted(keys - ids.keys(), key=lambda key: (key.title, key.date_display))
    if missing:
        slug_length = Production._meta.get_field("slug").max_length
        slugs = allocate_slugs(
            Production,
            [f"{key.title} {key.date_display}" for key in missing],
            max_length=slug_length,
        )
        created = Production._default_manager.bulk_create(
            Production(
                title=key.title,
                date_display=key.date_display,
                start_date=_iso_date(key.date_display),
                slug=slug,
            )
            for key, slug in zip(missing, slugs, strict=True)
        )
        ids.update((key, obj.pk) for key, obj in zip(missing, created, strict=True))
    return ids


def _iso_date(text: str) -> date | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
