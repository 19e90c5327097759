"""Relevance on real titles: Tate's open catalogue (../shared/data/tate).

A fixed random sample of 200 titles, imported with a few thousand other
records, must be found on page 1 by its exact title, and (at least 95%) with
two adjacent letters of its longest word swapped, on whichever database the
tests run (SQLite, PostgreSQL in CI), and on the live search engine when
one is set (OPENSEARCH_URL or ELASTICSEARCH_URL; required in CI). `make
bench` prints the same rates.
"""

import csv
import random

import pytest

from devtools.benchmarks.search import (
    TATE_CSV,
    hit_rates,
    read_tate_rows,
    relevance_sample,
)
from objects.services import collection_import
from search.backends import search
from search.results import SearchRequest
from search.services import search_index_rebuild

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not TATE_CSV.exists(), reason=f"needs Tate's data in {TATE_CSV}"),
]
OTHER_RECORDS = 1800


@pytest.fixture(params=["database", pytest.param("engine", marks=pytest.mark.search_engine)])
def backend(request):
    """The backend that answers: the database, or the live engine."""
    if request.param == "engine":
        return request.getfixturevalue("search_engine").name
    return "database"


@pytest.fixture
def tate_sample(tmp_path, backend):
    rows = read_tate_rows()
    cases = relevance_sample(rows)
    sampled = {case.accession_number for case in cases}
    others = [row for row in rows if row["accession_number"] not in sampled]
    subset = [row for row in rows if row["accession_number"] in sampled]
    subset += random.Random(9).sample(others, OTHER_RECORDS)
    path = tmp_path / "tate-subset.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(subset)
    collection_import(path=path, file_format="tate", add_missing_terms=True, announce=False)
    search_index_rebuild()
    return cases


def test_exact_and_misspelt_titles_are_found_on_page_one(tate_sample, backend):
    assert search(SearchRequest(query=tate_sample[0].title)).backend == backend
    rates = hit_rates(tate_sample)

    assert rates.measured == len(tate_sample) == 200
    assert rates.exact == 1.0, rates.misses
    assert rates.misspelt >= 0.95, rates.misses
