"""Rich text leaves the site as plain text: no tags, no HTML entities, a space
between paragraphs, in every open-data output."""

import csv
import gzip
import io
import json

import pytest

from api import dumps
from tests.factories.objects import CollectionObjectFactory, MakerFactory, ObjectImageFactory
from tests.factories.stories import StoryPageFactory
from tests.objects.pages_support import ready_image

pytestmark = pytest.mark.django_db

# As Wagtail's rich text editor stores it: apostrophes and ampersands escaped.
RICH = "<p>The Telescope&#x27;s lens &amp; case</p><p>&lt;Boxed&gt;, 1893.</p>"
PLAIN = "The Telescope's lens & case <Boxed>, 1893."


@pytest.fixture
def telescope(db):
    maker = MakerFactory(name="Dollond", biography=RICH)
    obj = CollectionObjectFactory(title="Telescope", description=RICH, makers=[maker])
    ObjectImageFactory(object=obj, image=ready_image())
    return obj


def test_api_records_are_plain_text(client, telescope):
    detail = client.get(f"/api/v1/objects/{telescope.slug}").json()
    maker = client.get(detail["makers"][0]["api_url"]).json()

    assert detail["description"] == PLAIN
    assert maker["biography"] == PLAIN


def test_iiif_and_linked_data_are_plain_text(client, telescope):
    manifest = client.get(f"/iiif/objects/{telescope.slug}/manifest.json").json()
    schema_org = client.get(f"/collection/objects/{telescope.slug}.jsonld").json()
    linked_art = client.get(f"/collection/objects/{telescope.slug}.linked-art.json").json()

    assert manifest["summary"] == {"en": [PLAIN]}
    assert schema_org["description"] == PLAIN
    assert linked_art["referred_to_by"][0]["content"] == PLAIN


def test_dumps_are_plain_text(telescope, dump_dir):
    manifest = dumps.opendata_dump_write()

    folder = dump_dir / manifest["folder"]
    [line] = gzip.decompress((folder / "objects.jsonl.gz").read_bytes()).decode().splitlines()
    csv_text = gzip.decompress((folder / "objects.csv.gz").read_bytes()).decode()
    [row] = csv.DictReader(io.StringIO(csv_text))
    record = json.loads(line)
    assert record["description"] == row["description"] == PLAIN


def test_story_text_is_plain_text(client, db):
    story = StoryPageFactory(body=[{"type": "text", "value": RICH}])

    assert client.get(f"/api/v1/stories/{story.slug}").json()["text"] == PLAIN
