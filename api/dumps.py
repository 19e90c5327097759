"""Nightly bulk downloads: every public record as gzipped CSV and JSON Lines,
with a manifest giving counts, SHA-256 checksums, the date and the licence.

Layout under settings.OPENDATA_DUMP_DIR:

    manifest.json            the current dump: which folder, which files
    2026-11-29T030000Z/      one folder per dump: objects.csv.gz, objects.jsonl.gz, ...

A dump is written into a temporary folder, renamed into place when complete,
and only then does a new manifest.json replace the old one (os.replace is
atomic), so readers always see a whole dump. The previous dump's folder is
kept until the next one completes; older ones are removed.

Records stream in primary-key batches: memory stays flat however large the
collection is. Objects, by far the largest dataset, are each object's public
record (objects/public_record.py, loaded set-based from plain rows) shaped as
the API shapes it (api/object_records.py); the smaller datasets go through the
API's own schemas.
"""

import csv
import fcntl
import gzip
import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail.models import PageLogEntry

from calls import api_schemas as call_schemas
from foundation.absolute_urls import SiteRoot
from foundation.page_cache import OPEN_DATA, page_cache_bump
from memories.models import MemoryModerationEvent, MemoryWithdrawal

from . import schemas, selectors
from .object_records import object_records

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
BATCH_SIZE = 1000
METADATA_LICENCE = {
    "uri": "https://creativecommons.org/publicdomain/zero/1.0/",
    "name": "CC0 1.0 Universal Public Domain Dedication",
    "note": (
        "The catalogue metadata in these files is dedicated to the public domain. Images and "
        "other media keep the rights statement given in each record's rights_uri."
    ),
}
# Spreadsheet programs run a cell starting with these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {".gz": "application/gzip", ".json": "application/json"}


def neutralise_formula(value):
    """A text cell a spreadsheet would evaluate, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    schema: type
    csv_row: Callable[[dict], dict]
    # Model instances in batches, validated through `schema`...
    batches: Callable[[], Iterator[list]] | None = None
    # ...or ready-made records, exactly as `schema` would give them.
    records: Callable[[], Iterator[dict]] | None = None


def _batches(page: Callable[..., selectors.Page]) -> Iterator[list]:
    after = None
    while True:
        found = page(after=after, size=BATCH_SIZE)
        if found.items:
            yield found.items
        if found.next_after is None:
            return
        after = found.next_after


def _term_batches(kind: str):
    return lambda: _batches(
        lambda after, size: selectors.term_page(kind=kind, after=after, size=size)
    )


def _names(items: list[dict], key: str = "name") -> str:
    return "; ".join(item[key] for item in items)


def _object_csv_row(record: dict) -> dict:
    flat = {
        key: value
        for key, value in record.items()
        if key not in {"makers", "production", "subjects", "places", "images", "linked_data"}
    }
    flat["makers"] = "; ".join(
        f"{m['name']} ({m['role']})" if m["role"] else m["name"] for m in record["makers"]
    )
    flat["maker_slugs"] = _names(record["makers"], "slug")
    flat["production"] = record["production"]["name"] if record["production"] else ""
    flat["production_slug"] = record["production"]["slug"] if record["production"] else ""
    flat["subjects"] = _names(record["subjects"])
    flat["places"] = _names(record["places"])
    flat["image_urls"] = " ".join(image["url"] for image in record["images"])
    flat["linked_data"] = record["linked_data"]["schema_org"]
    return flat


def _story_csv_row(record: dict) -> dict:
    return {
        **record,
        "authors": "; ".join(record["authors"]),
        "themes": "; ".join(record["themes"]),
    }


def _memory_csv_row(record: dict) -> dict:
    flat = {k: v for k, v in record.items() if k not in {"about_object", "about_production"}}
    about_object, about_production = record["about_object"], record["about_production"]
    flat["about_object"] = about_object["slug"] if about_object else ""
    flat["about_production"] = about_production["slug"] if about_production else ""
    flat["replies"] = " | ".join(f"{r['signed']}: {r['text']}" for r in record["replies"])
    return flat


def _same(record: dict) -> dict:
    return record


DATASETS = [
    Dataset(
        "objects",
        "Published objects with their makers, production, subjects, places and images.",
        schemas.ObjectDetail,
        _object_csv_row,
        records=lambda: object_records(BATCH_SIZE),
    ),
    Dataset(
        "makers",
        "People and organisations.",
        schemas.MakerDetail,
        _same,
        batches=_term_batches("makers"),
    ),
    Dataset(
        "productions",
        "BAC's shows.",
        schemas.ProductionDetail,
        _same,
        batches=_term_batches("productions"),
    ),
    Dataset("types", "Object types.", schemas.ObjectTypeOut, _same, batches=_term_batches("types")),
    Dataset("subjects", "Subjects.", schemas.SubjectOut, _same, batches=_term_batches("subjects")),
    Dataset("places", "Places.", schemas.PlaceOut, _same, batches=_term_batches("places")),
    Dataset(
        "stories",
        "Published stories, with their text.",
        schemas.StoryDetail,
        _story_csv_row,
        batches=lambda: _batches(selectors.story_page),
    ),
    Dataset(
        "memories",
        "Community memories shared under CC BY 4.0 (credit each contributor).",
        schemas.MemoryOut,
        _memory_csv_row,
        batches=lambda: _batches(selectors.memory_page),
    ),
    Dataset(
        "calls",
        "Calls for memories: the questions BAC asks, with their dates and response counts.",
        call_schemas.CallOut,
        call_schemas.call_csv_row,
        batches=lambda: _batches(selectors.call_page),
    ),
]


def _records(dataset: Dataset) -> Iterator[dict]:
    if dataset.records is not None:
        yield from dataset.records()
        return
    context = {"request": SiteRoot()}
    for batch in dataset.batches():
        for item in batch:
            yield dataset.schema.model_validate(item, context=context).model_dump(mode="json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _gzip_text(path: Path):
    # mtime=0 and no file name in the header: identical data gives identical bytes.
    raw = path.open("wb")
    return raw, io.TextIOWrapper(
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0),
        encoding="utf-8",
        newline="",
    )


def _write_dataset(dataset: Dataset, folder: Path) -> list[dict]:
    """Write one dataset as CSV and JSON Lines in a single pass; describe both files."""
    csv_path = folder / f"{dataset.name}.csv.gz"
    jsonl_path = folder / f"{dataset.name}.jsonl.gz"
    csv_raw, csv_text = _gzip_text(csv_path)
    jsonl_raw, jsonl_text = _gzip_text(jsonl_path)
    count = 0
    writer = None
    with csv_raw, csv_text, jsonl_raw, jsonl_text:
        for record in _records(dataset):
            jsonl_text.write(json.dumps(record, ensure_ascii=False, cls=DjangoJSONEncoder))
            jsonl_text.write("\n")
            row = dataset.csv_row(record)
            if writer is None:
                writer = csv.DictWriter(csv_text, fieldnames=list(row))
                writer.writeheader()
            writer.writerow({key: neutralise_formula(value) for key, value in row.items()})
            count += 1
        if writer is None:  # no records: still a valid CSV with its header
            csv.writer(csv_text).writerow(list(dataset.schema.model_fields))
    return [
        {
            "name": path.name,
            "dataset": dataset.name,
            "format": fmt,
            "description": dataset.description,
            "records": count,
            "bytes": path.stat().st_size,
            "sha256": _sha256(path),
        }
        for path, fmt in ((csv_path, "csv"), (jsonl_path, "jsonl"))
    ]


def dump_dir() -> Path:
    return Path(settings.OPENDATA_DUMP_DIR)


def current_manifest() -> dict | None:
    try:
        return json.loads((dump_dir() / MANIFEST_NAME).read_text())
    except (FileNotFoundError, ValueError):
        return None


def published_file(filename: str) -> tuple[Path, str] | None:
    """The path and SHA-256 of a file the current manifest lists (the manifest
    gives the checksum), or of the manifest itself; None for any other name."""
    if filename == MANIFEST_NAME:
        path = dump_dir() / MANIFEST_NAME
        return (path, _sha256(path)) if path.exists() else None
    manifest = current_manifest()
    entry = (
        next((f for f in manifest["files"] if f["name"] == filename), None) if manifest else None
    )
    if entry is None:
        return None
    path = dump_dir() / manifest["folder"] / filename
    return (path, entry["sha256"]) if path.exists() else None


def content_type(filename: str) -> str:
    return CONTENT_TYPES.get(Path(filename).suffix, "application/octet-stream")


def _write_json_atomically(path: Path, data: dict) -> None:
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, prefix=".manifest-", suffix=".tmp", delete=False
    ) as temporary:
        json.dump(data, temporary, indent=2)
        temporary.flush()
        os.fsync(temporary.fileno())
    os.replace(temporary.name, path)


def opendata_dump_write() -> dict:
    """Write a complete new dump, publish it, and return its manifest."""
    root = dump_dir()
    root.mkdir(parents=True, exist_ok=True)
    # One writer at a time (beat and a manual run may overlap): the lock is
    # released when the file closes, even if the process dies.
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _write_and_publish(root)


def _write_and_publish(root: Path) -> dict:
    started = timezone.now()
    folder_name = started.strftime("%Y-%m-%dT%H%M%S%fZ")
    building = Path(tempfile.mkdtemp(dir=root, prefix=".building-"))
    try:
        files = [entry for dataset in DATASETS for entry in _write_dataset(dataset, building)]
        building.rename(root / folder_name)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    previous = current_manifest()
    manifest = {
        "title": "BAC Collection open data",
        "generated_at": started.isoformat(),
        "folder": folder_name,
        "licence": METADATA_LICENCE,
        "site": SiteRoot().build_absolute_uri("/"),
        "files": files,
    }
    _write_json_atomically(root / MANIFEST_NAME, manifest)
    page_cache_bump(OPEN_DATA)  # the Open data page lists the files (no other page)
    _remove_old_dumps(keep={folder_name, previous["folder"] if previous else ""})
    logger.info(
        "Open data dump %s written: %s",
        folder_name,
        ", ".join(f"{f['name']} ({f['records']:,} records)" for f in files),
    )
    return manifest


def _remove_old_dumps(*, keep: set[str]) -> None:
    for child in dump_dir().iterdir():
        if child.is_dir() and child.name not in keep and not child.name.startswith(".building-"):
            shutil.rmtree(child, ignore_errors=True)


# Wagtail logs every view restriction saved, from the admin's Privacy dialog or not.
RESTRICTED = ["wagtail.view_restriction.create", "wagtail.view_restriction.edit"]


def opendata_dump_outdated() -> bool:
    """Has a memory in the current dump been withdrawn, rejected, sent back to review
    or edited, or a page been made private, since it was written? Then it must be
    written again, at once: the dump may not keep what a contributor took back, nor a
    story or call staff have since restricted (the beat checks every minute)."""
    manifest = current_manifest()
    if manifest is None:
        return False
    written = datetime.fromisoformat(manifest["generated_at"])
    Action = MemoryModerationEvent.Action
    return (
        MemoryWithdrawal.objects.filter(withdrawn_at__gte=written).exists()
        or MemoryModerationEvent.objects.filter(
            created_at__gte=written,
            action__in=[
                Action.REJECTED,
                Action.REPORTED,
                Action.EDITED_BY_CONTRIBUTOR,
                Action.EDITED_FOR_PRIVACY,
            ],
        ).exists()
        or PageLogEntry.objects.filter(action__in=RESTRICTED, timestamp__gte=written).exists()
    )


def opendata_dump_verify(manifest: dict | None = None) -> list[str]:
    """Problems with the current dump's files (sizes and checksums); [] when sound."""
    manifest = manifest or current_manifest()
    if manifest is None:
        return ["There is no dump yet."]
    problems = []
    for entry in manifest["files"]:
        path = dump_dir() / manifest["folder"] / entry["name"]
        if not path.exists():
            problems.append(f"{entry['name']}: missing")
        elif path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
            problems.append(f"{entry['name']}: checksum does not match")
    return problems
