"""Calls in the site search, the open data API and the bulk downloads, and the
privacy sweep over every public output a call touches: no contributor's email,
no staff login or email, no private or unsubscribe token appears anywhere."""

import gzip
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from api import dumps
from memories import services, update_emails
from memories.links import private_token
from memories.models import Licence, Memory, MemoryReply
from search.services import search_index_rebuild
from tests.factories.calls import CallPageFactory
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory, ProductionFactory
from tests.factories.stories import StaffProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dump_dir(settings, tmp_path):
    settings.OPENDATA_DUMP_DIR = tmp_path / "opendata"
    settings.API_ANON_RATE = "10000/m"
    return settings.OPENDATA_DUMP_DIR


@pytest.fixture
def dialogue(django_capture_on_commit_callbacks):
    """An open call with responses (one open data, one for this site only), a reply
    written by a staff account whose login and email must never leave the admin."""
    staff = get_user_model().objects.create_user(
        "login-of-the-archivist", "archivist-private@bac.example", "pw"
    )
    staff.groups.add(Group.objects.get(name="Moderators"))
    production = ProductionFactory(title="Jack and the Beanstalk")
    obj = CollectionObjectFactory(title="Beanstalk costume", production=production)
    with django_capture_on_commit_callbacks(execute=True):
        call = CallPageFactory(
            title="Who climbed the beanstalk in 1985?",
            context="We have the costume but not the names.",
            objects=[obj],
            productions=[production],
        )
        open_memory = MemoryFactory(
            call=call,
            object=obj,
            text="My brother climbed it every night.",
            contact__email="contributor-private@example.org",
            email_updates=True,
        )
        site_only = MemoryFactory(
            call=call,
            object=obj,
            licence=Licence.SITE_ONLY,
            text="I sewed the leaves on.",
            contact__email="sewer-private@example.org",
        )
        reply = MemoryReply.objects.create(
            memory=open_memory,
            author=StaffProfileFactory(name="Sam Jones", role="Archivist"),
            text="He is in our programme too!",
        )
        reply.save_revision(user=staff).publish(user=staff)
    private_values = {
        "staff login": "login-of-the-archivist",
        "staff email": "archivist-private@bac.example",
        "contributor email": "contributor-private@example.org",
        "other contributor email": "sewer-private@example.org",
        "private token": private_token(open_memory.public_id).split(":")[-1],
        "other private token": private_token(site_only.public_id).split(":")[-1],
        "unsubscribe token": update_emails.unsubscribe_token(open_memory.public_id).split(":")[-1],
    }
    return {"call": call, "object": obj, "memory": open_memory, "private": private_values}


def test_calls_are_a_search_kind(client, dialogue):
    search_index_rebuild()

    html = client.get("/search/", {"q": "beanstalk names"}).content.decode()

    assert dialogue["call"].url in html
    assert "Call for memories" in html
    assert client.get("/search/", {"q": "beanstalk", "kind": "calls"}).status_code == 200


def test_calls_in_the_api(client, dialogue):
    call = dialogue["call"]

    listing = client.get("/api/v1/calls/").json()
    [record] = listing["results"]
    assert record["question"] == "Who climbed the beanstalk in 1985?"
    assert record["is_open"] is True
    assert record["response_count"] == 2
    assert record["objects"] == [dialogue["object"].slug]
    assert record["api_url"].endswith(f"/api/v1/calls/{call.pk}")
    assert client.get(f"/api/v1/calls/{call.pk}").json() == record
    assert client.get("/api/v1/calls/999999").status_code == 404
    assert client.get("/api/v1/calls/abc").status_code in (400, 422)

    memory = client.get(f"/api/v1/memories/{dialogue['memory'].public_id}").json()
    assert memory["call"] == call.pk
    assert memory["replies"][0]["signed"] == "Sam Jones, Archivist"


def test_calls_in_the_bulk_downloads(dialogue, dump_dir):
    manifest = dumps.opendata_dump_write()

    names = {entry["name"] for entry in manifest["files"]}
    assert {"calls.csv.gz", "calls.jsonl.gz"} <= names
    folder = dump_dir / manifest["folder"]
    [line] = gzip.decompress((folder / "calls.jsonl.gz").read_bytes()).decode().splitlines()
    assert json.loads(line)["question"] == "Who climbed the beanstalk in 1985?"
    csv_text = gzip.decompress((folder / "memories.csv.gz").read_bytes()).decode()
    assert "Sam Jones, Archivist: He is in our programme too!" in csv_text


def test_no_email_login_or_private_token_in_any_public_output(client, dialogue, dump_dir):
    call, obj, memory = dialogue["call"], dialogue["object"], dialogue["memory"]
    search_index_rebuild()
    outputs = {}
    for url in (
        call.url,
        f"{call.url}feed/",
        "/calls/",
        obj.get_absolute_url(),
        obj.production.get_absolute_url(),
        "/",
        "/memories/",
        f"/memories/{memory.public_id}/",
        f"/memories/share/?call={call.pk}&object={obj.slug}",
        "/api/v1/calls/",
        f"/api/v1/calls/{call.pk}",
        "/api/v1/memories/",
        f"/api/v1/memories/{memory.public_id}",
        "/search/?q=beanstalk",
        "/api/v1/search?q=beanstalk",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        outputs[url] = response.content.decode()
    manifest = dumps.opendata_dump_write()
    for entry in manifest["files"]:
        path = dump_dir / manifest["folder"] / entry["name"]
        outputs[entry["name"]] = gzip.decompress(path.read_bytes()).decode()

    assert "He is in our programme too!" in outputs[call.url]
    leaks = [
        (where, name)
        for where, text in outputs.items()
        for name, value in dialogue["private"].items()
        if value.lower() in text.lower()
    ]
    assert leaks == []


def test_a_pending_response_is_in_no_public_output(client, dialogue):
    call = dialogue["call"]
    MemoryFactory(call=call, status=Memory.Status.PENDING, text="Pending words about the giant.")

    for url in (
        call.url,
        f"{call.url}feed/",
        "/api/v1/calls/",
        dialogue["object"].get_absolute_url(),
    ):
        assert "Pending words" not in client.get(url).content.decode()
    assert client.get(f"/api/v1/calls/{call.pk}").json()["response_count"] == 2


def test_staff_attach_an_in_person_memory_to_a_call(client, dialogue, settings):
    admin = get_user_model().objects.create_superuser("root-zq", "root-zq@bac.example", "pw")
    client.force_login(admin)
    call = dialogue["call"]

    response = client.post(
        "/admin/memories/memory/new/",
        {
            "text": "Told at the reminiscence session: the beanstalk collapsed once.",
            "relationship": "audience",
            "object": dialogue["object"].pk,
            "call": call.pk,
            "licence": "site-only",
            "age_group": "13-or-over",
            "paper_form_reference": "RS-2026-04",
            "consent_witness": "A. Volunteer",
            "consent_date": "2026-11-30",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    memory = Memory.objects.get(paper_form_reference="RS-2026-04")
    assert memory.call == call and memory.status == Memory.Status.PENDING
    services.memory_approve(memory=memory, user=admin)
    client.logout()
    assert "the beanstalk collapsed once" in client.get(call.url).content.decode()
