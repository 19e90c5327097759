"""Writes to the collection: imports, and the names objects are filed under.

Reads live in objects/selectors.py.
"""

import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Revision

from foundation.signals import records_changed

from .importing.bulk_load import bulk_load_planned, listing_indexes_deferred
from .importing.collector import collector_spared
from .importing.read_process import read_ahead_in_process
from .importing.readers import ImportFileError
from .importing.result import ImportResult
from .importing.rows import ImportRow, RowError
from .importing.source import FileSurvey, ImportSource
from .importing.terms import ObjectTypeTerms
from .importing.writer import BatchWriter, find_stored_image, store_image
from .models import CollectionObject, ObjectType
from .vocabulary import term_key

__all__ = [
    "ImportFileError",
    "collection_import",
    "object_type_merge",
]

DEFAULT_BATCH_SIZE = 1000


class _StrictAbort(Exception):
    """Rolls back a strict import when the write phase finds a bad row."""


def collection_import(
    *,
    path: Path,
    file_format: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    publish: bool = True,
    is_sample_content: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    add_missing_terms: bool = False,
    encoding: str = "utf-8",
    announce: bool = True,
    on_progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update collection objects from a file, keyed on accession number.

    Rows with problems are reported in the result and skipped; the rest are
    written one transaction per batch. `strict` writes nothing unless every
    row is good; `dry_run` works out what would change and writes nothing.
    New objects are published unless `publish` is False; existing objects
    keep whatever published state staff gave them. Object types the
    vocabulary lacks are reported once each, or added (for staff to review)
    with `add_missing_terms`. Each batch written sends `records_changed` (foundation/signals.py)
    unless `announce` is False. Raises ImportFileError when the file as a
    whole cannot be read.
    """
    started = time.perf_counter()
    source = ImportSource(Path(path), file_format, encoding)
    result = ImportResult(
        path=Path(path), file_format=source.format, dry_run=dry_run, strict=strict
    )
    survey = source.survey()
    object_types = ObjectTypeTerms(survey.object_types)
    writer = BatchWriter(
        publish=publish,
        is_sample_content=is_sample_content,
        resolve_image=find_stored_image if dry_run else store_image,
        default_object_type=object_types.default_id,
        stored_numbers=set(
            CollectionObject.objects.filter(
                accession_number__any=survey.accession_numbers
            ).values_list("accession_number", flat=True)
        ),
        announce=announce,
    )
    if on_start:
        on_start(survey.rows)
    # A load that at least doubles the table builds the listing indexes after its
    # rows, in one transaction (importing/bulk_load.py).
    bulk = not dry_run and bulk_load_planned(
        new_rows=len(survey.accession_numbers) - len(writer.stored_numbers)
    )
    # A dry run, a strict import or a bulk load is one transaction (a dry run's
    # rolled back, a strict one's unless every row is good); otherwise each batch
    # commits on its own.
    whole_run = transaction.atomic() if dry_run or strict or bulk else nullcontext()
    try:
        with (
            collector_spared(),
            whole_run,
            listing_indexes_deferred() if bulk else nullcontext(),
        ):
            if add_missing_terms and object_types.unknown:
                with transaction.atomic():
                    object_types.add_missing()
            if strict:
                result.errors = [
                    error
                    for _, errors in source.validated(survey.duplicates, object_types)
                    for error in errors
                ]
                if result.errors:
                    raise _StrictAbort
            batches = _batches(source, survey, object_types, batch_size)
            for batch, rows_read, row_errors in read_ahead_in_process(batches):
                result.errors.extend(row_errors)
                try:
                    with transaction.atomic():
                        outcome = writer.write(batch)
                except IntegrityError:
                    # Someone stored some of these accession numbers (or
                    # slugs) since the import began: write the batch again,
                    # looking them all up this time.
                    writer.stored_numbers.update(row.accession_number for row in batch)
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
        result.rows_read = survey.rows
    result.unknown_terms = object_types.unknown_terms
    result.added_terms = object_types.added
    result.unknown_columns = sorted(source.unknown_columns)
    result.seconds = time.perf_counter() - started
    return result


def _batches(
    source: ImportSource, survey: FileSurvey, object_types: ObjectTypeTerms, batch_size: int
):
    """Valid rows in batches, with how many source rows each batch consumed
    and the problems of the rows left out. Reads no database."""
    batch: list[ImportRow] = []
    consumed = 0
    problems: list[RowError] = []
    for row, errors in source.validated(survey.duplicates, object_types):
        consumed += 1
        problems.extend(errors)
        if row is not None:
            batch.append(row)
        if len(batch) >= batch_size:
            yield batch, consumed, problems
            batch, consumed, problems = [], 0, []
    # The last batch may hold only invalid rows: still report their progress.
    yield batch, consumed, problems


@transaction.atomic
def object_type_merge(*, source: ObjectType, target: ObjectType) -> list[int]:
    """Move every object of type `source` to `target`, then delete `source`.

    Staff merge a duplicate term ("Photo", added by an import) into the one to
    keep. Saved revisions that name `source` are rewritten too, so drafts and
    history still open in the admin; `source`'s name and alternative labels
    become alternative labels of `target`. Returns the ids of the objects
    moved; listeners of `records_changed` (foundation/signals.py: search, the page cache)
    reindex them.
    """
    if source.pk == target.pk:
        raise ValueError("A term cannot be merged into itself.")
    moved = list(
        CollectionObject.objects.filter(object_type=source)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    CollectionObject.objects.filter(pk__in=moved).update(
        object_type=target, updated_at=timezone.now()
    )
    revisions = Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(CollectionObject),
        content__object_type=source.pk,
    )
    for revision in revisions:
        revision.content["object_type"] = target.pk
        revision.save(update_fields=["content"])
    # The merged term's words now name the kept one, so imports using them land there.
    labels = target.alternative_label_list
    known = {term_key(label) for label in [target.name, target.slug, *labels]}
    for label in [source.name, *source.alternative_label_list]:
        if term_key(label) not in known:
            known.add(term_key(label))
            labels.append(label)
    source.delete()
    target.alternative_labels = "\n".join(labels)
    target.save(update_fields=["alternative_labels"])
    if moved:
        records_changed.send(sender=CollectionObject, pks=moved)
    return moved
