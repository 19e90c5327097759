"""bench_collection: guarded against real archives, and runs end to end."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from objects.models import CollectionObject
from tests.factories.objects import CollectionObjectFactory

from .importing import SAMPLE

pytestmark = pytest.mark.django_db


def test_refuses_a_database_with_someone_elses_objects(tmp_path):
    CollectionObjectFactory()

    with pytest.raises(CommandError, match="did not load"):
        call_command("bench_collection", "--objects", "5")

    assert CollectionObject.objects.count() == 1


def test_loads_tops_up_and_times_the_pages(tmp_path):
    tate = tmp_path / "artwork_data.csv"
    tate.write_bytes(SAMPLE.encode("utf-8"))
    out = StringIO()

    # The second run replaces the first run's data rather than refusing.
    for _ in range(2):
        call_command(
            "bench_collection",
            *("--objects", "12", "--requests", "3", "--tate-file", str(tate)),
            stdout=out,
        )

    output = out.getvalue()
    assert "Tate import: 2 objects from 2 rows" in output
    assert "Derived rows: 10 more objects" in output
    assert CollectionObject.objects.filter(accession_number__startswith="BENCH-").count() == 10
    for page in ("object page", "browse page 1", "browse page 500", "production page"):
        assert page in output
    assert CollectionObject.objects.count() == 12
