"""Bulk downloads: the management command, the beat task, the files, the
manifest and its checksums, atomic replacement and the Open data page."""

import csv
import gzip
import hashlib
import io
import json

import pytest
from django.core.management import call_command

from api import dumps
from api.models import OpenDataPage
from api.tasks import write_opendata_dump_task
from bac_collection.celery import app as celery_app
from objects.models import CollectionObject, ObjectMaker
from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    ObjectImageFactory,
    PlaceFactory,
    SubjectFactory,
)
from tests.objects.pages_support import ready_image

pytestmark = pytest.mark.django_db


def read_gzip(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as file:
        return file.read()


def test_command_writes_csv_and_json_lines_whose_checksums_verify(archive, dump_dir):
    out = io.StringIO()
    call_command("opendata_dump", stdout=out)

    manifest = json.loads((dump_dir / "manifest.json").read_text())
    assert "Checksums verified" in out.getvalue()
    assert manifest["licence"]["uri"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert manifest["generated_at"]
    files = {entry["name"]: entry for entry in manifest["files"]}
    assert files["objects.csv.gz"]["records"] == files["objects.jsonl.gz"]["records"] == 2
    assert files["makers.jsonl.gz"]["records"] == 1
    for name, entry in files.items():
        path = dump_dir / manifest["folder"] / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert path.stat().st_size == entry["bytes"]
    call_command("opendata_dump", "--verify", stdout=io.StringIO())


def test_json_lines_records_match_the_api(client, archive, dump_dir):
    manifest = dumps.opendata_dump_write()

    lines = read_gzip(dump_dir / manifest["folder"] / "objects.jsonl.gz").splitlines()
    records = [json.loads(line) for line in lines]
    poster = next(r for r in records if r["slug"] == archive["poster"].slug)
    from_api = client.get(f"/api/v1/objects/{archive['poster'].slug}").json()
    assert poster.keys() == from_api.keys()
    assert poster["title"] == from_api["title"]
    assert poster["images"][0]["url"].startswith("http://127.0.0.1:8000/iiif/image/")


def test_every_object_record_is_exactly_the_api_record(client, archive, dump_dir):
    """The dump builds object records from plain rows, not through the API's
    schemas: whatever an object carries, the two must say the same, in order."""
    poster = archive["poster"]
    poster.subjects.add(SubjectFactory(name="Costume"))  # sorts before "Dance"
    poster.places.add(PlaceFactory(name="Council Chamber"))
    ObjectMaker.objects.create(object=poster, maker=MakerFactory(name="Anon"), role="printer")
    ObjectImageFactory(object=poster, credit="Photo: BAC", image=ready_image())
    CollectionObjectFactory(title="Programme", rights_uri="https://example.org/own-terms")

    manifest = dumps.opendata_dump_write()

    lines = read_gzip(dump_dir / manifest["folder"] / "objects.jsonl.gz").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == sorted(
        CollectionObject.objects.filter(live=True).values_list("id", flat=True)
    )
    for record in records:
        # The API links to the host asked; the dump to the site's base URL.
        response = client.get(f"/api/v1/objects/{record['slug']}", HTTP_HOST="127.0.0.1:8000")
        assert list(record.items()) == list(response.json().items())
    assert len(next(r for r in records if r["slug"] == poster.slug)["images"]) == 2


def test_csv_cells_that_would_run_as_formulas_are_neutralised(db, dump_dir):
    CollectionObjectFactory(title='=HYPERLINK("http://evil.example")', materials="+1+2")
    CollectionObjectFactory(title="@SUM(A1)", credit_line="-3")

    manifest = dumps.opendata_dump_write()

    rows = list(
        csv.DictReader(io.StringIO(read_gzip(dump_dir / manifest["folder"] / "objects.csv.gz")))
    )
    assert [row["title"] for row in rows] == ['\'=HYPERLINK("http://evil.example")', "'@SUM(A1)"]
    assert rows[0]["materials"] == "'+1+2"
    assert rows[1]["credit_line"] == "'-3"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_a_failed_dump_leaves_the_previous_one_published(archive, dump_dir, monkeypatch):
    first = dumps.opendata_dump_write()

    def broken(dataset):
        yield from ()
        raise OSError("disk full")

    monkeypatch.setattr(dumps, "_records", broken)
    with pytest.raises(OSError):
        dumps.opendata_dump_write()

    assert dumps.current_manifest() == first
    assert dumps.opendata_dump_verify() == []
    assert not [p for p in dump_dir.iterdir() if p.name.startswith(".building-")]


def test_the_previous_dump_is_kept_until_the_next_completes(archive, dump_dir):
    first = dumps.opendata_dump_write()
    second = dumps.opendata_dump_write()
    third = dumps.opendata_dump_write()

    folders = {p.name for p in dump_dir.iterdir() if p.is_dir()}
    assert folders == {second["folder"], third["folder"]}
    assert first["folder"] not in folders


def test_beat_runs_the_dump_nightly_and_the_task_writes_it(archive, dump_dir):
    schedule = celery_app.conf.beat_schedule["write-open-data-dump"]

    result = write_opendata_dump_task.delay().get()

    assert schedule["task"] == "api.tasks.write_opendata_dump_task"
    assert result["objects.csv.gz"] == 2
    assert dumps.opendata_dump_verify() == []


def test_downloads_are_served_only_from_the_current_manifest(client, archive, dump_dir):
    manifest = dumps.opendata_dump_write()

    response = client.get("/open-data/downloads/objects.csv.gz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert "attachment" in response["Content-Disposition"]
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == next(
        f["sha256"] for f in manifest["files"] if f["name"] == "objects.csv.gz"
    )
    served = client.get("/open-data/downloads/manifest.json")
    assert json.loads(b"".join(served.streaming_content)) == manifest
    for name in ("../settings.py", ".lock", "secrets.csv.gz", f"{manifest['folder']}"):
        assert client.get(f"/open-data/downloads/{name}").status_code == 404


def test_open_data_page_lists_the_downloads_and_the_api(client, archive, dump_dir):
    page = OpenDataPage.objects.get()
    assert client.get(page.url).status_code == 200
    assert f'href="{page.url}"' in client.get("/collection/").content.decode()  # the footer
    dumps.opendata_dump_write()

    html = client.get(page.url).content.decode()

    assert 'href="/open-data/downloads/objects.csv.gz"' in html
    assert 'href="/open-data/downloads/manifest.json"' in html
    assert 'href="/api/v1/docs"' in html
    assert "CC0" in html


def test_the_demo_archive_dumps_and_its_checksums_verify(
    client, dump_dir, django_capture_on_commit_callbacks
):
    """What `make run` does: load the demo archive (images processed), then write the dump."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_archive", stdout=io.StringIO())
    out = io.StringIO()

    call_command("opendata_dump", stdout=out)

    manifest = dumps.current_manifest()
    files = {entry["name"]: entry["records"] for entry in manifest["files"]}
    published = CollectionObject.objects.filter(live=True).count()
    assert files["objects.csv.gz"] == files["objects.jsonl.gz"] == published > 200
    assert "Checksums verified" in out.getvalue()
    with_images = CollectionObject.objects.filter(live=True, object_images__isnull=False)
    for obj in with_images:
        assert client.get(f"/iiif/objects/{obj.slug}/manifest.json").status_code == 200
