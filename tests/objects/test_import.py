"""import_collection with canonical CSV and JSON Lines files."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foundation.signals import records_changed
from objects.models import CollectionObject, Maker, ObjectImage, ObjectMaker, Production
from tests.factories.images import jpeg_bytes

from .importing import row, run_import, write_csv

pytestmark = pytest.mark.django_db

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "import-example.csv"


def test_example_file_imports_every_field(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copy(EXAMPLE.with_name("import-example-coffee.jpg"), tmp_path)

    output, errors = run_import(tmp_path / EXAMPLE.name)

    assert errors is None, errors
    assert "3 created, 0 updated, 0 unchanged" in output
    programme = CollectionObject.objects.get(accession_number="EX-0001")
    assert programme.live and programme.first_published_at and programme.last_published_at
    assert programme.object_type.slug == "programme"
    assert programme.description == (
        "<p>An illustrative row: a folded programme with a cast list.</p>"
        "<p>Replace these rows with your own.</p>"
    )
    assert (programme.date_display, programme.date_earliest, programme.date_latest) == (
        "Spring 1998",
        1998,
        1998,
    )
    assert [(m.maker.name, m.role) for m in programme.object_makers.order_by("sort_order")] == [
        ("Jane Example", "designer"),
        ("Example Print Co", "printer"),
    ]
    assert sorted(programme.subjects.values_list("name", flat=True)) == ["Music", "Theatre"]
    assert list(programme.places.values_list("name", flat=True)) == ["Battersea"]
    assert programme.rights_uri == IN_COPYRIGHT
    assert programme.slug == "ex-0001-programme-for-an-example-show"
    letter = CollectionObject.objects.get(accession_number="EX-0003")
    assert letter.production_id == programme.production_id
    assert Production._default_manager.get().title == "An Example Show"
    photo = CollectionObject.objects.get(accession_number="EX-0002")
    image = photo.object_images.get()
    assert image.alt_text.startswith("An espresso in a red cup")
    assert image.image.title == "Coffee cup"


def test_second_run_changes_nothing(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copy(EXAMPLE.with_name("import-example-coffee.jpg"), tmp_path)
    run_import(tmp_path / EXAMPLE.name)
    before = list(CollectionObject.objects.values_list("pk", "updated_at").order_by("pk"))
    counts = (ObjectMaker.objects.count(), ObjectImage.objects.count(), Maker.objects.count())

    output, errors = run_import(tmp_path / EXAMPLE.name)

    assert errors is None
    assert "0 created, 0 updated, 3 unchanged" in output
    assert list(CollectionObject.objects.values_list("pk", "updated_at").order_by("pk")) == before
    assert (
        ObjectMaker.objects.count(),
        ObjectImage.objects.count(),
        Maker.objects.count(),
    ) == counts


def test_a_changed_row_updates_only_that_object(tmp_path):
    rows = [row(1, makers="Ann (designer)"), row(2, makers="Ann (designer)")]
    run_import(write_csv(tmp_path, rows))
    untouched = CollectionObject.objects.get(accession_number="BAC-0002").updated_at

    rows[0].update(title="Poster one, revised", makers="Ann (designer); Bo (printer)")
    output, _ = run_import(write_csv(tmp_path, rows))

    assert "0 created, 1 updated, 1 unchanged" in output
    changed = CollectionObject.objects.get(accession_number="BAC-0001")
    assert changed.title == "Poster one, revised"
    assert [m.maker.name for m in changed.object_makers.order_by("sort_order")] == ["Ann", "Bo"]
    assert CollectionObject.objects.get(accession_number="BAC-0002").updated_at == untouched


def test_updates_keep_the_slug_and_the_published_state_staff_chose(tmp_path):
    run_import(write_csv(tmp_path, [row(1)]))
    CollectionObject.objects.filter(accession_number="BAC-0001").update(live=False)

    run_import(write_csv(tmp_path, [row(1, title="New title")]))

    obj = CollectionObject.objects.get()
    assert (obj.title, obj.live, obj.slug) == ("New title", False, "bac-0001-poster-1")


def test_dry_run_reports_changes_and_writes_nothing(tmp_path):
    run_import(write_csv(tmp_path, [row(1)]))
    path = write_csv(tmp_path, [row(1, title="Changed"), row(2, makers="New Maker")])

    output, errors = run_import(path, "--dry-run")

    assert errors is None
    assert "Dry run, nothing written: 1 created, 1 updated, 0 unchanged" in output
    assert list(CollectionObject.objects.values_list("title", flat=True)) == ["Poster 1"]
    assert not Maker.objects.exists()


def test_bad_rows_are_reported_and_good_rows_still_import(tmp_path):
    (tmp_path / "scan.jpg").write_bytes(b"<html>not an image</html>")
    rows = [
        row(1),
        {"accession_number": "", "title": "No number"},
        {"accession_number": "BAC-0003", "title": ""},
        row(4, date_earliest="sometime"),
        row(5, date_earliest="1999", date_latest="1990"),
        row(6, rights="http://example.com/my-licence"),
        row(7, images="missing.jpg"),
        row(8, images="scan.jpg"),
        row(9, object_type="hat"),
        row(10),
        row(10, title="Again"),
        row(11, date_earliest="1998-02-30"),
    ]
    path = write_csv(tmp_path, rows)

    output, errors = run_import(path)

    assert "rows have problems" in output
    assert list(CollectionObject.objects.values_list("accession_number", flat=True)) == ["BAC-0001"]
    problems = {(int(e["line"]), e["column"]): e["problem"] for e in errors}
    assert problems[(3, "accession_number")] == "is required"
    assert problems[(4, "title")] == "is required"
    assert "not a year" in problems[(5, "date_earliest")]
    assert problems[(6, "date_latest")] == "1990 is before date_earliest 1999"
    assert "not a known rights URI" in problems[(7, "rights")]
    assert problems[(8, "images")] == "file not found: missing.jpg"
    assert "web page" in problems[(9, "images")]
    assert "'hat' is not an object type" in problems[(10, "object_type")]
    assert problems[(11, "accession_number")] == "BAC-0010 is also on line 12 of this file"
    assert problems[(12, "accession_number")] == "BAC-0010 is also on line 11 of this file"
    assert "not a real date" in problems[(13, "date_earliest")]


def test_a_stray_byte_in_a_utf8_file_is_reported_by_line_and_column(tmp_path):
    path = tmp_path / "pasted.csv"
    path.write_bytes(
        "accession_number,title,materials\r\nBAC-1,Fine,Papier mâché\r\n".encode()
        + b"BAC-2,Caf\xe9 poster,Paper\r\n"
    )

    output, errors = run_import(path)

    assert errors == [
        {
            "line": "3",
            "column": "title",
            "problem": "is not UTF-8 text (byte 0xE9); save the file as UTF-8 and import it again",
        }
    ]
    assert list(CollectionObject.objects.values_list("accession_number", flat=True)) == ["BAC-1"]


def test_a_utf16_file_gets_a_clear_message(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("accession_number,title\nBAC-1,Poster\n".encode("utf-16"))

    with pytest.raises(CommandError, match="UTF-16 text. Save it as UTF-8"):
        call_command("import_collection", str(path))


def test_missing_required_column_is_a_clear_message(tmp_path):
    path = write_csv(tmp_path, [], header="number,title")

    with pytest.raises(CommandError, match="has no accession_number column"):
        call_command("import_collection", str(path))


def test_strict_writes_nothing_when_any_row_is_bad(tmp_path):
    path = write_csv(tmp_path, [row(1), row(2, rights="nonsense")])

    output, errors = run_import(path, "--strict")

    assert "nothing was written" in output
    assert [e["line"] for e in errors] == ["3"]
    assert not CollectionObject.objects.exists()


def test_strict_rolls_back_when_an_image_fails_while_writing(tmp_path):
    (tmp_path / "fake.jpg").write_bytes(b"%PDF-1.4 not an image")
    path = write_csv(tmp_path, [row(1), row(2, images="fake.jpg")])

    output, errors = run_import(path, "--strict", "--batch-size", "1")

    assert "nothing was written" in output
    assert errors[0]["column"] == "images"
    assert not CollectionObject.objects.exists()


def test_strict_imports_a_clean_file(tmp_path):
    output, errors = run_import(write_csv(tmp_path, [row(1), row(2)]), "--strict")

    assert errors is None
    assert CollectionObject.objects.count() == 2


def test_draft_creates_unpublished_objects(tmp_path):
    run_import(write_csv(tmp_path, [row(1)]), "--draft")

    obj = CollectionObject.objects.get()
    assert not obj.live and obj.has_unpublished_changes and obj.first_published_at is None


def test_jsonl_imports_the_same_keys(tmp_path):
    path = tmp_path / "objects.jsonl"
    lines = [
        {"accession_number": "BAC-1", "title": "Poster", "makers": ["Ann (designer)", "Bo"]},
        {"accession_number": "BAC-2", "title": "Flyer", "date_earliest": 1985, "date_latest": None},
        "not an object",
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n{broken\n", encoding="utf-8")

    output, errors = run_import(path)

    assert "2 created" in output
    assert [(e["line"], e["problem"].split(" (")[0]) for e in errors] == [
        ("3", "is not a JSON object"),
        ("4", "is not valid JSON"),
    ]
    poster = CollectionObject.objects.get(accession_number="BAC-1")
    assert [(m.maker.name, m.role) for m in poster.object_makers.order_by("sort_order")] == [
        ("Ann", "designer"),
        ("Bo", ""),
    ]
    flyer = CollectionObject.objects.get(accession_number="BAC-2")
    assert (flyer.date_earliest, flyer.date_latest) == (1985, 1985)


def test_images_are_attached_once_primary_first(tmp_path):
    (tmp_path / "front.jpg").write_bytes(jpeg_bytes(colour=(10, 20, 30)))
    (tmp_path / "back.jpg").write_bytes(jpeg_bytes(colour=(200, 20, 30)))
    path = write_csv(tmp_path, [row(1, images="front.jpg; back.jpg", alt_text="The front")])

    run_import(path)
    output, _ = run_import(path)

    assert "0 created, 0 updated, 1 unchanged" in output
    images = list(CollectionObject.objects.get().object_images.order_by("sort_order"))
    assert [(i.image.file.name.split("/")[-1][:5], i.alt_text) for i in images] == [
        ("front", "The front"),
        ("back.", ""),
    ]
    assert ObjectImage.objects.count() == 2


def test_columns_the_file_lacks_are_left_alone(tmp_path):
    run_import(write_csv(tmp_path, [row(1, makers="Ann", materials="Paper")]))

    output, _ = run_import(write_csv(tmp_path, [row(1)], header="accession_number,title"))

    assert "1 unchanged" in output
    obj = CollectionObject.objects.get()
    assert obj.materials == "Paper"
    assert obj.object_makers.count() == 1


def test_imports_announce_created_and_updated_objects_and_search_queues_them(tmp_path, monkeypatch):
    announced, queued = [], []
    monkeypatch.setattr(
        "search.signal_handlers.enqueue_index_update",
        lambda label, pks: queued.append((label, sorted(pks))),
    )

    def listener(sender, pks, **kwargs):
        announced.append(sorted(pks))

    records_changed.connect(listener)
    try:
        run_import(write_csv(tmp_path, [row(1), row(2)]))
        first = sorted(CollectionObject.objects.values_list("pk", flat=True))
        run_import(write_csv(tmp_path, [row(1), row(2, title="Changed")]))
        run_import(write_csv(tmp_path, [row(1), row(2, title="Changed")]))  # nothing changes
    finally:
        records_changed.disconnect(listener)

    changed = CollectionObject.objects.get(accession_number="BAC-0002").pk
    assert announced == [first, [changed]]
    assert queued == [("objects.CollectionObject", first), ("objects.CollectionObject", [changed])]


def test_queries_do_not_grow_with_the_number_of_rows(tmp_path):
    def queries_for(first, count, name):
        rows = [
            row(n, makers=f"Maker {n % 7} (designer)", subjects="Theatre", production="Show")
            for n in range(first, first + count)
        ]
        path = write_csv(tmp_path, rows, name=name)
        with CaptureQueriesContext(connection) as context:
            run_import(path)
        # SQLite splits one bulk INSERT into several by its parameter limit;
        # every other statement is once per batch.
        return [q["sql"].split()[0] for q in context.captured_queries if "INSERT" not in q["sql"]]

    # The makers, subject and production exist already, so both runs do the same work.
    queries_for(0, 7, "warm-up.csv")
    small, large = queries_for(100, 5, "small.csv"), queries_for(1000, 400, "large.csv")
    assert small == large
    # Two of them read the batch's productions and makers, for the page cache's tags;
    # one lets the batch commit without waiting for its WAL flush (importing/writer.py).
    assert len(large) < 18
