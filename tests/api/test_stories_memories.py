"""Stories and openly licensed memories in the API and the bulk downloads."""

import gzip
import json

import pytest

from api import dumps
from memories.models import Licence, Memory
from tests.factories.memories import MemoryFactory
from tests.factories.stories import StoryPageFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "pending": "A pending memory nobody approved",
    "rejected": "A rejected memory with a rude word",
    "site_only": "Shared for this site only, please",
    "email": "private.contributor@example.org",
    "guardian": "Guardian Secretname",
    "draft_story": "Draft story not yet published",
}


@pytest.fixture
def community(archive):
    story = StoryPageFactory(title="Fifty years of posters", themes=[ThemeFactory(name="Design")])
    StoryPageFactory(title=SECRETS["draft_story"], live=False)
    open_memory = MemoryFactory(
        text="I queued round the block for The Red Shoes.",
        object=archive["poster"],
        display_name="Sam",
        guardian_name=SECRETS["guardian"],
        contact__email=SECRETS["email"],
    )
    MemoryFactory(text=SECRETS["pending"], status=Memory.Status.PENDING, approved_at=None)
    MemoryFactory(text=SECRETS["rejected"], status=Memory.Status.REJECTED, approved_at=None)
    MemoryFactory(text=SECRETS["site_only"], licence=Licence.SITE_ONLY)
    return {"story": story, "memory": open_memory}


def test_story_list_and_detail(client, community):
    stories = client.get("/api/v1/stories/").json()["results"]

    assert [s["title"] for s in stories] == ["Fifty years of posters"]
    detail = client.get(stories[0]["api_url"]).json()
    assert detail["themes"] == ["Design"]
    assert "Once upon a time in Battersea." in detail["text"]
    assert detail["url"].startswith("http://testserver/")


def test_only_approved_openly_licensed_memories_are_listed(client, community):
    memories = client.get("/api/v1/memories/").json()["results"]

    assert [m["text"] for m in memories] == ["I queued round the block for The Red Shoes."]
    memory = memories[0]
    assert memory["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    assert memory["attribution"] == "Sam"
    assert memory["about_object"]["slug"] == community["memory"].object.slug
    assert client.get(memory["api_url"]).json() == memory


def test_unknown_or_closed_memories_are_404(client, community):
    site_only = Memory.objects.get(licence=Licence.SITE_ONLY)

    assert client.get(f"/api/v1/memories/{site_only.public_id}").status_code == 404
    assert client.get("/api/v1/memories/not-a-uuid").status_code == 400


def test_no_private_community_value_leaves(client, community, dump_dir):
    outputs = [
        client.get(url).content.decode()
        for url in ("/api/v1/stories/", "/api/v1/memories/", "/api/v1/search?q=memory")
    ]
    outputs += [client.get(community["story"].url).content.decode()]
    manifest = dumps.opendata_dump_write()
    for entry in manifest["files"]:
        path = dump_dir / manifest["folder"] / entry["name"]
        outputs.append(gzip.decompress(path.read_bytes()).decode())

    files = {entry["name"]: entry["records"] for entry in manifest["files"]}
    assert files["memories.jsonl.gz"] == 1
    assert files["stories.csv.gz"] == 1
    leaked = [name for name, value in SECRETS.items() for text in outputs if value in text]
    assert leaked == []
    memory_lines = gzip.decompress(
        (dump_dir / manifest["folder"] / "memories.jsonl.gz").read_bytes()
    ).decode()
    assert json.loads(memory_lines.splitlines()[0])["attribution"] == "Sam"
