"""The demo archive in demo/ and load_demo_archive."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from objects.models import CollectionObject, ObjectImage, Production
from tests.conftest import PROJECT_ROOT

DEMO = PROJECT_ROOT / "demo"


def load():
    out = StringIO()
    call_command("load_demo_archive", stdout=out)
    return out.getvalue()


def test_demo_archive_is_small_and_credits_its_sources():
    size = sum(path.stat().st_size for path in DEMO.rglob("*") if path.is_file())
    assert size < 5 * 1024 * 1024
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "Data: Tate, CC0" in readme
    for photo in (DEMO / "images").iterdir():
        assert photo.name in readme, f"{photo.name} has no attribution in demo/README.md"


def test_demo_records_invent_no_productions():
    with (DEMO / "objects.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert 200 <= len(rows) <= 400
    assert not any(row["production"] or row["production_date"] for row in rows)


@pytest.mark.django_db
def test_loading_the_demo_archive_twice_changes_nothing():
    first = load()
    count = CollectionObject.objects.count()
    images = ObjectImage.objects.count()

    second = load()

    assert f"{count} created" in first
    assert f"0 created, 0 updated, {count} unchanged" in second
    assert not CollectionObject.objects.filter(is_sample_content=False).exists()
    assert not CollectionObject.objects.filter(live=False).exists()
    assert not Production._default_manager.exists()
    assert ObjectImage.objects.count() == images == 8
    photos = CollectionObject.objects.filter(
        object_type__slug="photograph", object_images__isnull=False
    )
    assert all(obj.object_images.get().alt_text for obj in photos)
    assert set(CollectionObject.objects.values_list("object_type__slug", flat=True)) >= {
        "painting",
        "drawing",
        "print",
        "sculpture",
        "photograph",
    }
