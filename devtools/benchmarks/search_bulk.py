"""Bulk indexing into the search engine, for `bench_search`, with where the
time goes: every public record read from the database and built into
documents (as a rebuild does), then those documents serialised and sent to
a fresh index by the rebuild's own loader (search.services.BulkLoader),
timed until the index is refreshed (searchable), then the index dropped.
The aliases and the database index are untouched.

The documents are built, then sent, a slab of SLAB at a time, so each phase
is timed apart and memory stays bounded at a million records."""

import time
from dataclasses import dataclass

import orjson

from search.engines import get_engine
from search.indexing import IndexedDocument
from search.registry import all_kinds
from search.services import BulkLoader, _create_index, _public_pks

READ_CHUNK = 1000
SLAB = 100_000


@dataclass
class BulkLoadTiming:
    documents: int = 0
    threads: int = 0
    reading: float = 0.0  # rows from the database
    building: float = 0.0  # records and documents made from them
    # The documents as JSON again, in one thread, after indexing: of `indexing`,
    # about what serialising took.
    serialising: float = 0.0
    # Serialising and sending every document, several requests at a time,
    # until the engine answered each and refreshed the index: bulk indexing.
    indexing: float = 0.0

    @property
    def per_second(self) -> float:
        """Bulk indexing: documents sent and searchable a second."""
        return self.documents / self.indexing if self.indexing else 0.0

    @property
    def end_to_end_per_second(self) -> float:
        """From the database to searchable, one phase after the other."""
        total = self.reading + self.building + self.indexing
        return self.documents / total if total else 0.0


def engine_bulk_load(threads: int = 0) -> BulkLoadTiming:
    engine = get_engine()
    timing = BulkLoadTiming()
    indexes = []
    try:
        with BulkLoader(threads) as loader:
            timing.threads = loader.threads
            for kind in all_kinds():
                indexes.append(_create_index(kind, loading=True))
                pks = _public_pks(kind)
                for slab in range(0, len(pks), SLAB):
                    documents = _read_and_build(kind, pks[slab : slab + SLAB], timing)
                    started = time.perf_counter()
                    loader.send(indexes[-1], documents)
                    loader.wait()
                    timing.indexing += time.perf_counter() - started
                    started = time.perf_counter()
                    for document in documents:
                        orjson.dumps(document.to_source())
                    timing.serialising += time.perf_counter() - started
                    timing.documents += len(documents)
        started = time.perf_counter()
        for index in indexes:
            engine.refresh(index)
        timing.indexing += time.perf_counter() - started
    finally:
        for index in indexes:
            engine.delete_index(index)
    return timing


def _read_and_build(kind, pks: list[int], timing: BulkLoadTiming) -> list[IndexedDocument]:
    documents = []
    for start in range(0, len(pks), READ_CHUNK):
        started = time.perf_counter()
        rows = list(kind.rows(pks[start : start + READ_CHUNK]))
        built = time.perf_counter()
        documents += [
            IndexedDocument(kind, kind.to_record(row), kind.updated_at(row)) for row in rows
        ]
        timing.reading += built - started
        timing.building += time.perf_counter() - built
    return documents
