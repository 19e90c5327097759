"""From a kind's records to what each backend stores: a table row
(`entry_values`) and an engine document (`to_source`).

A kind's `public_queryset()` decides what is searchable and its `rows()`
load what its `to_record()` reads, so indexing 500 records costs the same
handful of queries as indexing one. Everything here is shared by every kind.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .models import SearchEntry
from .registry import (
    DECADE,
    FACET_KEY_SEPARATOR,
    IMAGE,
    IMAGE_LABELS,
    RESULT_TYPE,
    IndexedRecord,
    SearchKind,
    facet_filter_key,
)
from .text import MIN_TERM_LENGTH, fold, matchable, words


class _computed_once:
    """functools.cached_property without its lock (Python 3.11 takes one on
    every first access: 2 µs, a tenth of building a document's row): the
    value is stored in the instance, which then answers by itself."""

    def __init__(self, method):
        self.method = method
        self.name = method.__name__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.method(instance)
        return value


@dataclass(frozen=True)
class IndexedDocument:
    """One record of one kind, as both backends store it."""

    kind: SearchKind
    record: IndexedRecord
    updated_at: object

    @property
    def pk(self) -> int:
        return self.record.pk

    def facet_values(self) -> list[tuple[str, str, str]]:
        """(facet, value, label) for every facet this record is counted under."""
        record = self.record
        values = [(RESULT_TYPE.name, self.kind.name, self.kind.label)]
        for facet, pairs in record.facets.items():
            seen = set()
            for value, label in pairs:
                if value and value not in seen:  # one maker in two roles: one value
                    seen.add(value)
                    values.append((facet, value, label))
        if record.decade is not None:
            values.append((DECADE.name, str(record.decade), f"{record.decade}s"))
        image = "yes" if record.has_image else "no"
        values.append((IMAGE.name, image, IMAGE_LABELS[image]))
        return values

    @_computed_once
    def _keys(self) -> tuple[list[str], list[str]]:
        # Both indexes store both lists: worked out once per document (a
        # rebuild's engine documents cost half as much to build).
        facet_keys, filter_keys = [], []
        for facet, value, label in self.facet_values():
            key = facet_filter_key(facet, value)
            filter_keys.append(key)
            facet_keys.append(f"{key}{FACET_KEY_SEPARATOR}{label}")
        return facet_keys, filter_keys

    def facet_keys(self) -> list[str]:
        return self._keys[0]

    def filter_keys(self) -> list[str]:
        return self._keys[1]

    @_computed_once
    def names_text(self) -> str:
        return "; ".join(self.record.names)

    @_computed_once
    def keywords_text(self) -> str:
        return " ".join(self.record.keywords)

    @_computed_once
    def spelling_text(self) -> str:
        return " ".join([self.record.title, *self.record.names])

    # Each text's words, split once: the title's serve its sort key, its
    # tsvector words and the vocabulary. Splitting texts joined by a space
    # gives the words of each in turn, so these are the words of the joined
    # texts the stored fields are made of.
    @_computed_once
    def _title_words(self) -> list[str]:
        return words(self.record.title, limit=None)

    @_computed_once
    def _names_words(self) -> list[str]:
        return words(self.names_text, limit=None)

    def vocabulary(self) -> set[str]:
        """Words "did you mean" may suggest: from titles and names only
        (`spelling_text`), so a correction is always something people would
        search for."""
        return {
            word
            for word in (*self._title_words, *self._names_words)
            if len(word) >= MIN_TERM_LENGTH and word.isalpha() and len(word) <= 64
        }

    def entry_values(self, *, postgres: bool) -> dict:
        """The table row's values, but the PostgreSQL tsvector (built from
        `vector_words` as the row is written, search/services.py)."""
        record = self.record
        values = {
            "kind": self.kind.name,
            "record_id": record.pk,
            "title": record.title,
            "url": record.url,
            "summary": record.summary,
            "identifier": record.identifier,
            "names": self.names_text,
            "keywords": self.keywords_text,
            "description": record.description,
            "has_image": record.has_image,
            "date_earliest": record.date_earliest,
            "sort_title": " ".join(self._title_words)[:255],
            "facet_keys": self.facet_keys(),
            "filter_keys": self.filter_keys(),
            "source_updated_at": self.updated_at,
            # Matched on SQLite only; PostgreSQL matches the tsvector.
            "folded_title": "",
            "folded_names": "",
            "folded_text": "",
        }
        if not postgres:
            texts = [record.title, record.identifier, self.names_text, self.keywords_text]
            values["folded_title"] = fold(f"{record.title} {record.identifier}")
            values["folded_names"] = fold(self.names_text)
            values["folded_text"] = fold(" ".join([*texts, record.description]))
        return values

    def vector_words(self) -> tuple[str, str, str, str]:
        """The words of the tsvector's four weights: title and identifier,
        names, keywords, description; split as queries are (text.matchable)."""
        record = self.record
        return (
            " ".join([*self._title_words, *words(record.identifier, limit=None)]),
            " ".join(self._names_words),
            matchable(self.keywords_text),
            matchable(record.description),
        )

    def to_entry(self) -> SearchEntry:
        return SearchEntry(**self.entry_values(postgres=False))

    def to_source(self) -> dict:
        """The engine document: the fields of `SearchDocument`, unset ones left out."""
        record = self.record
        source = {
            "kind": self.kind.name,
            "record_id": record.pk,
            "identifier": record.identifier,
            "title": record.title,
            "names": list(record.names),
            "keywords": list(record.keywords),
            "description": record.description,
            "spelling": self.spelling_text,
            "facets": self.facet_keys(),
            "filters": self.filter_keys(),
            "date_earliest": record.date_earliest,
            "has_image": record.has_image,
            "url": record.url,
            "summary": record.summary,
            "updated_at": self.updated_at,
        }
        return {name: value for name, value in source.items() if value is not None}


def indexed_documents(kind: SearchKind, pks: Iterable[int]) -> list[IndexedDocument]:
    """The public records among `pks`; deleted and unpublished ones are absent."""
    return documents_from_rows(kind, kind.rows(list(pks)))


def documents_from_rows(kind: SearchKind, rows: Iterable) -> list[IndexedDocument]:
    """Documents from what `kind.rows()` read."""
    return [IndexedDocument(kind, kind.to_record(row), kind.updated_at(row)) for row in rows]
