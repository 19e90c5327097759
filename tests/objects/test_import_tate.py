"""import_collection --format tate: Tate's artwork_data.csv as published."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from objects.models import CollectionObject, Maker
from tests.conftest import SHARED_DATA

from .importing import SAMPLE

pytestmark = pytest.mark.django_db

TATE_FILE = SHARED_DATA / "tate" / "artwork_data.csv"


def import_tate(path, *args):
    out = StringIO()
    call_command("import_collection", str(path), "--format", "tate", *args, stdout=out)
    return out.getvalue()


def test_tate_columns_map_onto_the_catalogue(tmp_path):
    path = tmp_path / "artwork_data.csv"
    path.write_bytes(SAMPLE.encode("utf-8"))

    output = import_tate(path)

    assert "2 created, 0 updated, 0 unchanged" in output
    boat = CollectionObject.objects.get(accession_number="T07799")
    assert boat.title == "A Fishing Boat in Dieppe Harbour"
    assert boat.object_type.slug == "painting"
    assert boat.materials == "Oil paint on canvas"
    assert boat.dimensions == "support: 650 x 810 x 19 mm; frame: 743 x 904 x 70 mm"
    assert (boat.date_display, boat.date_earliest, boat.date_latest) == ("1929", 1929, 1929)
    assert boat.credit_line == "Bequeathed by Winifred Le Roy 2001"
    assert boat.rights_uri == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert boat.production is None
    assert [(m.maker.name, m.role) for m in boat.object_makers.all()] == [
        ("Wood, Christopher", "artist")
    ]
    drawing = CollectionObject.objects.get(accession_number="A00001")
    assert drawing.object_type.slug == "drawing"
    assert (drawing.date_display, drawing.date_earliest, drawing.date_latest) == (
        "c.1830–41",
        1830,
        1841,
    )
    assert [(m.maker.name, m.role) for m in drawing.object_makers.all()] == [
        ("Blake, Robert", "after")
    ]


def test_tate_import_is_idempotent(tmp_path):
    path = tmp_path / "artwork_data.csv"
    path.write_bytes(SAMPLE.encode("utf-8"))
    import_tate(path)

    assert "0 created, 0 updated, 2 unchanged" in import_tate(path)
    assert Maker.objects.count() == 2


@pytest.mark.skipif(not TATE_FILE.exists(), reason="shared Tate data not present")
def test_a_slice_of_the_real_tate_file_imports_cleanly(tmp_path):
    with TATE_FILE.open(encoding="utf-8-sig", newline="") as source:
        records = list(zip(range(400), csv.reader(source), strict=False))
    path = tmp_path / "artwork_data.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as target:
        csv.writer(target).writerows(record for _, record in records)

    output = import_tate(path)

    assert "399 created, 0 updated, 0 unchanged" in output
    types = set(CollectionObject.objects.values_list("object_type__slug", flat=True))
    assert {"painting", "drawing", "print", "sculpture"} <= types
    assert not CollectionObject.objects.filter(title="").exists()
