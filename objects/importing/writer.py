"""Write validated rows in batches: bulk inserts and updates, no per-row queries.

For each batch the writer reads the existing objects (and their makers,
subjects, places and images) in one query each, decides per row whether it is
new, changed or unchanged, and writes only the differences with
bulk_create/bulk_update. Makers, subjects, places and productions are looked
up once per run and cached. Which accession numbers exist is asked once for
the whole file (`stored_numbers`), so a batch of new objects reads none back.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from wagtail.utils.file import hash_filelike

from foundation.signals import records_changed
from images.models import ArchiveImage
from images.services import archive_image_from_path
from images.validation import validate_image_file
from objects.models import OBJECT_SLUG_LENGTH, CollectionObject, ObjectImage, ObjectMaker
from objects.vocabulary_writes import (
    makers_ensure,
    places_ensure,
    productions_ensure,
    subjects_ensure,
)

from .inserts import append_rows, insert_rows
from .rows import ImportRow, ProductionKey, RowError
from .slugs import unique_slugs

# Fields the importer may write; a row sets those its file has columns for.
WRITABLE_FIELDS = (
    "title",
    "object_type_id",
    "description",
    "date_display",
    "date_earliest",
    "date_latest",
    "production_id",
    "materials",
    "dimensions",
    "credit_line",
    "rights_uri",
    "is_sample_content",
)
Subjects = CollectionObject.subjects.through
Places = CollectionObject.places.through

# Returns the id of the ArchiveImage for a file, or None if it would be new.
ImageResolver = Callable[[Path, ImportRow, int], int | None]


@dataclass
class BatchOutcome:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def store_image(path: Path, row: ImportRow, position: int) -> int:
    """The image pipeline's ArchiveImage for the file (reused by content)."""
    image = archive_image_from_path(
        path=path,
        title=str(row.fields.get("title") or row.accession_number),
        description=row.alt_text if position == 0 else "",
    )
    return image.pk


def find_stored_image(path: Path, row: ImportRow, position: int) -> int | None:
    """For dry runs: check the file as the pipeline would, and find the image
    already stored with the same content, without writing anything."""
    with path.open("rb") as source:
        validate_image_file(source)
        file_hash = hash_filelike(source)
    return (
        ArchiveImage.objects.filter(file_hash=file_hash)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


@dataclass
class _Desired:
    """What one object should look like after the import."""

    row: ImportRow
    fields: dict[str, object]
    makers: list[tuple[int, str]] | None
    subjects: set[int] | None
    places: set[int] | None
    images: list[int | None] | None


class BatchWriter:
    def __init__(
        self,
        *,
        publish: bool,
        is_sample_content: bool,
        resolve_image: ImageResolver,
        default_object_type: Callable[[], int],
        stored_numbers: set[str],
        announce: bool = True,
    ):
        self.publish = publish
        self.is_sample_content = is_sample_content
        self.resolve_image = resolve_image
        self.default_object_type = default_object_type
        self.announce = announce
        self.stored_numbers = stored_numbers
        self.makers: dict[str, int] = {}
        self.subjects: dict[str, int] = {}
        self.places: dict[str, int] = {}
        self.productions: dict[ProductionKey, int] = {}

    def write(self, rows: list[ImportRow]) -> BatchOutcome:
        """Write one batch; call it inside a transaction."""
        _commit_without_waiting()
        outcome = BatchOutcome()
        images = self._resolve_images(rows, outcome)
        bad_lines = {error.line for error in outcome.errors}
        rows = [row for row in rows if row.line not in bad_lines]
        self._cache_related(rows)
        desired = [self._desired(row, images.get(row.line)) for row in rows]
        stored = [
            row.accession_number for row in rows if row.accession_number in self.stored_numbers
        ]
        existing = (
            {
                values["accession_number"]: values
                for values in CollectionObject.objects.filter(accession_number__any=stored).values(
                    "pk", "accession_number", *WRITABLE_FIELDS
                )
            }
            if stored
            else {}
        )
        current = _CurrentRelations.load(
            existing_pks=[v["pk"] for v in existing.values()], rows=rows
        )

        new = [d for d in desired if d.row.accession_number not in existing]
        created = self._create(new)
        changed: list[tuple[int, _Desired, set[str]]] = []
        for wanted in desired:
            values = existing.get(wanted.row.accession_number)
            if values is None:
                continue
            pk = values["pk"]
            changed_fields = {
                name for name, value in wanted.fields.items() if values[name] != value
            }
            if changed_fields or current.differs(pk, wanted):
                changed.append((pk, wanted, changed_fields))
            else:
                outcome.unchanged += 1
        self._update(changed)
        self._replace_relations(
            [(pk, wanted) for pk, wanted in created]
            + [(pk, wanted) for pk, wanted, _ in changed if current.differs(pk, wanted)],
            current,
            new_pks={pk for pk, _ in created},
        )
        outcome.created = [pk for pk, _ in created]
        outcome.updated = [pk for pk, _, _ in changed]
        if self.announce and (outcome.created or outcome.updated):
            records_changed.send(sender=CollectionObject, pks=outcome.created + outcome.updated)
        return outcome

    def _resolve_images(self, rows: list[ImportRow], outcome: BatchOutcome) -> dict[int, list]:
        images = {}
        for row in rows:
            if row.images is None:
                continue
            try:
                images[row.line] = [
                    self.resolve_image(path, row, position)
                    for position, path in enumerate(row.images)
                ]
            except ValidationError as error:
                outcome.errors.append(RowError(row.line, "images", " ".join(error.messages)))
        return images

    def _cache_related(self, rows: list[ImportRow]) -> None:
        """Look up (or create) every name the batch mentions and the cache lacks."""
        for cache, names, ensure in (
            (self.makers, {n for r in rows for n, _ in r.makers or []}, makers_ensure),
            (self.subjects, {n for r in rows for n in r.subjects or []}, subjects_ensure),
            (self.places, {n for r in rows for n in r.places or []}, places_ensure),
        ):
            missing = names - cache.keys()
            if missing:
                cache.update(ensure(names=missing))
        keys = {r.production for r in rows if r.production} - self.productions.keys()
        if keys:
            self.productions.update(productions_ensure(keys=keys))

    def _desired(self, row: ImportRow, image_ids: list | None) -> _Desired:
        fields = dict(row.fields, is_sample_content=self.is_sample_content)
        if row.has_production:
            fields["production_id"] = self.productions[row.production] if row.production else None
        return _Desired(
            row=row,
            fields=fields,
            makers=None if row.makers is None else [(self.makers[n], r) for n, r in row.makers],
            subjects=None if row.subjects is None else {self.subjects[n] for n in row.subjects},
            places=None if row.places is None else {self.places[n] for n in row.places},
            images=image_ids,
        )

    def _create(self, new: list[_Desired]) -> list[tuple[int, _Desired]]:
        if not new:
            return []
        slugs = unique_slugs(
            CollectionObject, [d.row.slug_base for d in new], max_length=OBJECT_SLUG_LENGTH
        )
        now = timezone.now()
        publishing = {
            "live": self.publish,
            "has_unpublished_changes": not self.publish,
            "first_published_at": now if self.publish else None,
            "last_published_at": now if self.publish else None,
        }
        default_type = (
            self.default_object_type()
            if any("object_type_id" not in d.fields for d in new)
            else None
        )
        rows = [
            {
                "accession_number": d.row.accession_number,
                "object_type_id": default_type,
                "slug": slug,
                "created_at": now,
                "updated_at": now,
                **publishing,
                **d.fields,
            }
            for d, slug in zip(new, slugs, strict=True)
        ]
        pks = insert_rows(CollectionObject, rows)
        return list(zip(pks, new, strict=True))

    def _update(self, changed: list[tuple[int, "_Desired", set[str]]]) -> None:
        names = sorted({name for _, _, fields in changed for name in fields})
        if not names:
            return
        now = timezone.now()
        objects = []
        for pk, wanted, _ in changed:
            obj = CollectionObject(pk=pk, updated_at=now)
            for name in names:
                setattr(obj, name, wanted.fields[name])
            objects.append(obj)
        # Rows that only changed relations still get a new updated_at.
        CollectionObject.objects.bulk_update(objects, [*names, "updated_at"])

    def _replace_relations(
        self, targets: list[tuple[int, "_Desired"]], current, *, new_pks: set[int]
    ) -> None:
        """Swap in the wanted makers/subjects/places/images where they differ."""
        wanted_by_pk = dict(targets)
        for kind in ("makers", "subjects", "places", "images"):
            pks = [pk for pk, wanted in targets if current.kind_differs(kind, pk, wanted)]
            if not pks:
                continue
            # New objects have nothing to delete.
            old_pks = [pk for pk in pks if pk not in new_pks]
            if kind == "makers":
                if old_pks:
                    ObjectMaker.objects.filter(object_id__in=old_pks).delete()
                append_rows(
                    ObjectMaker,
                    (
                        {"object_id": pk, "maker_id": maker_id, "role": role, "sort_order": i}
                        for pk in pks
                        for i, (maker_id, role) in enumerate(wanted_by_pk[pk].makers)
                    ),
                )
            elif kind == "images":
                credits = current.image_credits
                if old_pks:
                    ObjectImage.objects.filter(object_id__in=old_pks).delete()
                append_rows(
                    ObjectImage,
                    (
                        {
                            "object_id": pk,
                            "image_id": image_id,
                            "sort_order": i,
                            "alt_text": wanted_by_pk[pk].row.alt_text if i == 0 else "",
                            "credit": credits.get((pk, image_id), ""),
                        }
                        for pk in pks
                        for i, image_id in enumerate(wanted_by_pk[pk].images)
                        if image_id is not None  # Only in dry runs: not stored yet.
                    ),
                )
            else:
                through, column = (
                    (Subjects, "subject_id") if kind == "subjects" else (Places, "place_id")
                )
                if old_pks:
                    through.objects.filter(collectionobject_id__in=old_pks).delete()
                append_rows(
                    through,
                    (
                        {"collectionobject_id": pk, column: related_id}
                        for pk in pks
                        for related_id in sorted(getattr(wanted_by_pk[pk], kind))
                    ),
                )


def _commit_without_waiting() -> None:
    """Let this transaction's commit return before its WAL reaches the disk.

    Waiting for the flush cost 10-20 ms a batch here, a fifth of an import's time. A
    crash of the database server within the next fraction of a second (three
    wal_writer_delays at most) could lose the last batches reported written, never
    half a batch: the database stays consistent, and importing the file again
    writes what is missing, as the import is keyed on accession numbers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


class _CurrentRelations:
    """The makers, subjects, places and images existing objects have now."""

    def __init__(self):
        self.makers: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.subjects: dict[int, set[int]] = defaultdict(set)
        self.places: dict[int, set[int]] = defaultdict(set)
        self.images: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.image_credits: dict[tuple[int, int], str] = {}

    @classmethod
    def load(cls, *, existing_pks: list[int], rows: list[ImportRow]) -> "_CurrentRelations":
        """Only the relations the rows mention are read: one query for each."""
        current = cls()
        if not existing_pks:
            return current
        if any(row.makers is not None for row in rows):
            for pk, maker_id, role in (
                ObjectMaker.objects.filter(object_id__any=existing_pks)
                .order_by("object_id", "sort_order", "pk")
                .values_list("object_id", "maker_id", "role")
            ):
                current.makers[pk].append((maker_id, role))
        for kind, through, column in (
            ("subjects", Subjects, "subject_id"),
            ("places", Places, "place_id"),
        ):
            if any(getattr(row, kind) is not None for row in rows):
                target = getattr(current, kind)
                for pk, related_id in through.objects.filter(
                    collectionobject_id__any=existing_pks
                ).values_list("collectionobject_id", column):
                    target[pk].add(related_id)
        if any(row.images is not None for row in rows):
            for pk, image_id, alt_text, credit in (
                ObjectImage.objects.filter(object_id__any=existing_pks)
                .order_by("object_id", "sort_order", "pk")
                .values_list("object_id", "image_id", "alt_text", "credit")
            ):
                current.images[pk].append((image_id, alt_text))
                current.image_credits[(pk, image_id)] = credit
        return current

    def kind_differs(self, kind: str, pk: int, wanted: _Desired) -> bool:
        value = getattr(wanted, kind)
        if value is None:
            return False
        if kind == "images":
            wanted_images = [
                (image_id, wanted.row.alt_text if i == 0 else "")
                for i, image_id in enumerate(value)
            ]
            # None is an image a dry run has not stored yet: always a change.
            return None in value or self.images.get(pk, []) != wanted_images
        current = getattr(self, kind).get(pk)
        return (current or ([] if kind == "makers" else set())) != value

    def differs(self, pk: int, wanted: _Desired) -> bool:
        return any(
            self.kind_differs(kind, pk, wanted)
            for kind in ("makers", "subjects", "places", "images")
        )
