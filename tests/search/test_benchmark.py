"""The search benchmark's relevance measure reports what it measured."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from devtools.benchmarks.search import TATE_CSV, RelevanceCase, hit_rates
from search.documents import index_alias
from search.registry import all_kinds
from search.services import BULK_THREADS
from tests.factories.objects import CollectionObjectFactory

pytestmark = pytest.mark.django_db


def test_hit_rates_count_only_the_sampled_records_in_the_database(index):
    harbour = CollectionObjectFactory(accession_number="T01234", title="Dieppe Harbour")
    index(harbour)
    cases = [
        RelevanceCase("T01234", "Dieppe Harbour", "Dieppe Harbuor"),
        RelevanceCase("N09999", "A Title Never Imported", "A Title Never Imorpted"),
    ]

    rates = hit_rates(cases)

    assert rates.measured == 1
    assert (rates.exact, rates.misspelt) == (1.0, 1.0)


@pytest.mark.skipif(not TATE_CSV.exists(), reason=f"needs Tate's data in {TATE_CSV}")
def test_bench_search_says_so_when_none_of_the_sampled_titles_is_imported():
    CollectionObjectFactory.create_batch(3)
    out = StringIO()

    call_command("bench_search", "--queries", "5", stdout=out)

    output = out.getvalue()
    assert "none of the sampled Tate titles is in this database" in output
    assert "exact title" not in output
    assert "Search backend (hits + facets), 5 queries:\n  database " in output


def test_bench_search_only_empties_the_index_of_a_benchmark_database():
    with pytest.raises(CommandError, match="contains 'bench'"):
        call_command("bench_search", "--from-empty", stdout=StringIO())


@pytest.mark.search_engine
def test_bench_search_reports_the_engine_beside_the_database(search_engine, settings):
    CollectionObjectFactory.create_batch(3, title="Poster for a benchmark")
    out = StringIO()

    call_command("bench_search", "--queries", "5", "--bulk-runs", "2", stdout=out)

    output = out.getvalue()
    name = search_engine.name
    assert f"Reindex (database + {name}, over the current index): 3 records" in output
    assert f"  loading {name} beside it (wall clock): " in output
    sent = f"3 documents serialised and sent {BULK_THREADS} requests at a time into a fresh"
    assert f"Bulk indexing into {name} ({sent} index" in output
    assert "best of 2: " in output and "where the best run's time went: reading rows" in output
    # The bulk load's own indexes are gone; the aliases still serve the rebuilt ones.
    prefix = settings.SEARCH_INDEX_PREFIX
    serving = {
        name for kind in all_kinds() for name in search_engine.alias_indexes(index_alias(kind))
    }
    assert set(search_engine.index_settings(f"{prefix}-*")) == serving
    assert f"3 records indexed, searched by database and {name}." in output
    for table in ("Search backend (hits + facets), 5 queries:", "Search page (whole request)"):
        lines = output.split(table, 1)[1].splitlines()
        assert lines[1].startswith("  database ") and lines[2].startswith(f"  {name} ")
