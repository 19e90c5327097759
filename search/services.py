"""Writes to the search indexes: the database table and, when configured,
Elasticsearch. Both are always written by the same functions, so they hold
the same objects."""

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from elasticsearch import helpers

from objects.models import CollectionObject

from .client import elasticsearch_enabled, get_client, object_index_alias
from .documents import CollectionObjectDocument
from .indexing import OBJECT_LABEL, IndexedObject, indexed_objects, object_pks_mentioning
from .models import SearchEntry, SearchTerm
from .sync import enqueue_index_update

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
ENTRY_FIELDS = [
    f.name for f in SearchEntry._meta.concrete_fields if f.name not in {"object", "search_vector"}
]


class IndexingFailed(Exception):
    """Elasticsearch rejected some documents; the task retries the batch."""


def _search_vector():
    from django.contrib.postgres.search import SearchVector

    config = "bac_english"  # accent folding + English stemming, created by migration 0001
    return (
        SearchVector("title", "accession_number", weight="A", config=config)
        + SearchVector("makers", "production", weight="B", config=config)
        + SearchVector("keywords", weight="C", config=config)
        + SearchVector("description", weight="D", config=config)
    )


def _write_entries(objects: list[IndexedObject], removed_pks: Iterable[int]) -> None:
    with transaction.atomic():
        SearchEntry.objects.filter(pk__in=list(removed_pks)).delete()
        if not objects:
            return
        SearchEntry.objects.bulk_create(
            [indexed.to_entry() for indexed in objects],
            update_conflicts=True,
            unique_fields=["object"],
            update_fields=ENTRY_FIELDS,
        )
        if connection.vendor == "postgresql":
            SearchEntry.objects.filter(pk__in=[o.pk for o in objects]).update(
                search_vector=_search_vector()
            )
        vocabulary = set().union(*(indexed.vocabulary() for indexed in objects))
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term) for term in sorted(vocabulary)], ignore_conflicts=True
        )


_alias_checked = False


def _ensure_object_alias() -> None:
    """Before the first rebuild, create an index behind the alias so
    incremental writes never auto-create an index with a guessed mapping."""
    global _alias_checked
    if _alias_checked:
        return
    client = get_client()
    if not client.indices.exists_alias(name=object_index_alias()):
        _create_object_index(aliased=True)
    _alias_checked = True


def _create_object_index(*, aliased: bool) -> str:
    name = f"{object_index_alias()}-{timezone.now():%Y%m%d%H%M%S%f}"
    get_client()  # registers the connection the Document writes through
    CollectionObjectDocument._index.clone(name=name).create(using=None)
    if aliased:
        get_client().indices.put_alias(index=name, name=object_index_alias())
    return name


def _send_to_elasticsearch(
    *, index: str, objects: list[IndexedObject], removed_pks: Iterable[int] = ()
) -> None:
    actions = [
        {**indexed.to_document().to_dict(include_meta=True), "_index": index} for indexed in objects
    ]
    actions += [{"_op_type": "delete", "_index": index, "_id": pk} for pk in removed_pks]
    if not actions:
        return
    _sent, errors = helpers.bulk(get_client(), actions, raise_on_error=False)
    # Deleting what is already gone is success: that is the state we want.
    failures = [e for e in errors if not ("delete" in e and e["delete"].get("status") == 404)]
    if failures:
        raise IndexingFailed(f"{len(failures)} documents rejected, first: {failures[0]}")


def search_index_update(*, model_label: str, pks: list[int]) -> int:
    """Bring the index up to date for these rows; returns objects touched.

    Live objects are (re)indexed; unpublished and deleted ones removed. For a
    maker, production, subject or place, every object that mentions it.
    """
    object_pks = pks if model_label == OBJECT_LABEL else object_pks_mentioning(model_label, pks)
    for start in range(0, len(object_pks), CHUNK_SIZE):
        chunk = object_pks[start : start + CHUNK_SIZE]
        objects = indexed_objects(chunk)
        removed = set(chunk) - {indexed.pk for indexed in objects}
        _write_entries(objects, removed)
        if elasticsearch_enabled():
            _ensure_object_alias()
            _send_to_elasticsearch(index=object_index_alias(), objects=objects, removed_pks=removed)
    return len(object_pks)


@dataclass
class RebuildReport:
    objects: int = 0
    seconds: float = 0.0
    elasticsearch_index: str = ""

    @property
    def per_second(self) -> float:
        return self.objects / self.seconds if self.seconds else 0.0


def search_index_rebuild(
    *, chunk_size: int = 1000, on_progress: Callable[[int], None] | None = None
) -> RebuildReport:
    """Reindex every live object, without downtime.

    Database: rows are upserted chunk by chunk, then rows for objects no
    longer live are removed, and the vocabulary recounted. Elasticsearch: a
    new timestamped index is filled, then the alias swapped to it atomically
    and the old indexes dropped; objects changed during the rebuild are
    indexed again afterwards so no edit is lost.
    """
    started_at = timezone.now()
    report = RebuildReport()
    use_elasticsearch = elasticsearch_enabled()
    new_index = _create_object_index(aliased=False) if use_elasticsearch else ""
    vocabulary: Counter = Counter()
    live_pks = list(
        CollectionObject.objects.filter(live=True).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(live_pks), chunk_size):
        objects = indexed_objects(live_pks[start : start + chunk_size])
        _write_entries(objects, ())
        if use_elasticsearch:
            _send_to_elasticsearch(index=new_index, objects=objects)
        for indexed in objects:
            vocabulary.update(indexed.vocabulary())
        report.objects += len(objects)
        if on_progress:
            on_progress(len(objects))

    with transaction.atomic():
        SearchEntry.objects.exclude(pk__in=CollectionObject.objects.filter(live=True)).delete()
        SearchTerm.objects.all().delete()
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term, document_count=n) for term, n in vocabulary.items()],
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics for the new rows
            cursor.execute("ANALYZE search_searchentry; ANALYZE search_searchterm")
    if use_elasticsearch:
        _swap_alias(new_index)
        report.elasticsearch_index = new_index
    changed = CollectionObject.objects.filter(updated_at__gte=started_at).values_list(
        "pk", flat=True
    )
    search_index_update(model_label=OBJECT_LABEL, pks=list(changed))
    report.seconds = (timezone.now() - started_at).total_seconds()
    return report


def _swap_alias(new_index: str) -> None:
    client = get_client()
    alias = object_index_alias()
    client.indices.refresh(index=new_index)
    old_indexes = (
        list(client.indices.get_alias(name=alias))
        if client.indices.exists_alias(name=alias)
        else []
    )
    actions = [{"remove": {"index": old, "alias": alias}} for old in old_indexes]
    actions.append({"add": {"index": new_index, "alias": alias}})
    client.indices.update_aliases(actions=actions)
    for old in old_indexes:
        client.indices.delete(index=old)


@dataclass
class Drift:
    """How one backend's index differs from the live objects in the database."""

    backend: str
    missing: set[int] = field(default_factory=set)
    stale: set[int] = field(default_factory=set)
    extra: set[int] = field(default_factory=set)
    error: str = ""

    @property
    def pks(self) -> set[int]:
        return self.missing | self.stale | self.extra

    @property
    def in_sync(self) -> bool:
        return not self.pks and not self.error


def _compare(backend: str, expected: dict[int, datetime], indexed: dict[int, datetime]) -> Drift:
    return Drift(
        backend=backend,
        missing=set(expected) - set(indexed),
        stale={pk for pk in set(expected) & set(indexed) if indexed[pk] != expected[pk]},
        extra=set(indexed) - set(expected),
    )


def _elasticsearch_updated_at() -> dict[int, datetime]:
    get_client()
    search = CollectionObjectDocument.search().source(["updated_at"]).params(size=1000)
    return {
        int(hit.meta.id): datetime.fromisoformat(hit.updated_at)
        if isinstance(hit.updated_at, str)
        else hit.updated_at
        for hit in search.scan()
    }


def search_index_check() -> list[Drift]:
    """Compare each index with the live objects (by id and updated_at)."""
    expected = dict(CollectionObject.objects.filter(live=True).values_list("pk", "updated_at"))
    database = dict(SearchEntry.objects.values_list("pk", "source_updated_at"))
    report = [_compare("database", expected, database)]
    if elasticsearch_enabled():
        from .client import ElasticsearchUnavailable

        try:
            report.append(_compare("elasticsearch", expected, _elasticsearch_updated_at()))
        except ElasticsearchUnavailable as exc:
            report.append(Drift(backend="elasticsearch", error=f"{type(exc).__name__}: {exc}"))
    return report


def search_index_repair() -> list[Drift]:
    """Queue updates for every drifting object; returns the drift found."""
    report = search_index_check()
    pks = set().union(*(drift.pks for drift in report))
    if pks:
        logger.warning("Search index drift: reindexing %d objects", len(pks))
        enqueue_index_update(OBJECT_LABEL, pks)
    return report
