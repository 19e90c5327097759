"""Writes to the collection: imports, and the names objects are filed under.

Reads live in objects/selectors.py.
"""

import re
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from .importing.readers import ImportFileError
from .importing.result import ImportResult
from .importing.rows import ImportRow, ProductionKey
from .importing.slugs import allocate_slugs
from .importing.source import ImportSource
from .models import Maker, Place, Production, Subject

__all__ = [
    "ImportFileError",
    "collection_import",
    "makers_ensure",
    "places_ensure",
    "productions_ensure",
    "subjects_ensure",
]

DEFAULT_BATCH_SIZE = 1000
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _StrictAbort(Exception):
    """Rolls back a strict import when the write phase finds a bad row."""


def collection_import(
    *,
    path: Path,
    file_format: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    publish: bool = True,
    is_sample_data: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    sync_search: bool = True,
    on_progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update collection objects from a file, keyed on accession number.

    Rows with problems are reported in the result and skipped; the rest are
    written one transaction per batch. `strict` writes nothing unless every
    row is good; `dry_run` works out what would change and writes nothing.
    New objects are published unless `publish` is False; existing objects
    keep whatever published state staff gave them. Raises ImportFileError
    when the file as a whole cannot be read.
    """
    from .importing.writer import BatchWriter, find_stored_image, store_image

    started = time.perf_counter()
    source = ImportSource(Path(path), file_format)
    result = ImportResult(
        path=Path(path), file_format=source.format, dry_run=dry_run, strict=strict
    )
    total, duplicates = source.duplicate_accession_numbers()
    if on_start:
        on_start(total)
    if strict:
        result.errors = [error for _, errors in source.validated(duplicates) for error in errors]
        if result.errors:
            result.rows_read, result.aborted = total, True
            result.seconds = time.perf_counter() - started
            return result

    writer = BatchWriter(
        publish=publish,
        is_sample_data=is_sample_data,
        resolve_image=find_stored_image if dry_run else store_image,
        sync_search=sync_search,
    )
    # A dry run or a strict import is one transaction, rolled back unless the
    # whole file went in; otherwise each batch commits on its own.
    whole_run = transaction.atomic() if dry_run or strict else nullcontext()
    try:
        with whole_run:
            for batch, rows_read in _batches(source, duplicates, result, batch_size):
                with transaction.atomic():
                    outcome = writer.write(batch)
                result.created += len(outcome.created)
                result.updated += len(outcome.updated)
                result.unchanged += outcome.unchanged
                result.errors.extend(outcome.errors)
                result.rows_read += rows_read
                if on_progress:
                    on_progress(rows_read)
                if strict and outcome.errors:
                    raise _StrictAbort
            if dry_run:
                transaction.set_rollback(True)
    except _StrictAbort:
        result.aborted = True
        result.rows_read = total
    result.unknown_columns = sorted(source.unknown_columns)
    result.seconds = time.perf_counter() - started
    return result


def _batches(source: ImportSource, duplicates, result: ImportResult, batch_size: int):
    """Valid rows in batches, with how many source rows each batch consumed."""
    batch: list[ImportRow] = []
    consumed = 0
    for row, errors in source.validated(duplicates):
        consumed += 1
        result.errors.extend(errors)
        if row is not None:
            batch.append(row)
        if len(batch) >= batch_size:
            yield batch, consumed
            batch, consumed = [], 0
    # The last batch may hold only invalid rows: still report their progress.
    yield batch, consumed


# These helpers use `_default_manager`: on Production, Subject and Place the
# name `objects` is the reverse accessor of CollectionObject's related_name.


def _names_ensure(model, names: Iterable[str]) -> dict[str, int]:
    """Ids of the named rows, creating the missing ones in one bulk insert."""
    wanted = sorted(set(names))
    ids = dict(model._default_manager.filter(name__in=wanted).values_list("name", "pk"))
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
