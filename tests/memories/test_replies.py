"""Replies from the producing team: written in the admin by Curators and
Moderators, published by Moderators only, with revisions, shown wherever the
memory is, in the API and in the contributor's own export, signed with a public
name and role (never a login or an email)."""

import json

import pytest
from django.contrib.auth.models import Group

from memories.links import private_url
from memories.models import Memory, MemoryReply
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StaffProfileFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/memories/replies/add/"
PUBLISH = {"action-publish": "action-publish"}  # the admin form's Publish button


@pytest.fixture
def staff(django_user_model):
    def make(group: str):
        user = django_user_model.objects.create_user(
            f"{group.lower()}-login-qx", f"{group.lower()}-secret@bac.example", "pw"
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def profile():
    return StaffProfileFactory(name="Sam Jones", role="Archivist, Battersea Arts Centre")


def reply_form(memory, profile, text="We found your name in the 1985 programme!", **extra):
    return {"memory": memory.pk, "author": profile.pk, "text": text, **extra}


def test_a_moderator_writes_and_publishes_a_reply_shown_with_the_memory(
    client, staff, profile, django_capture_on_commit_callbacks
):
    obj = CollectionObjectFactory()
    memory = MemoryFactory(object=obj)
    client.force_login(staff("Moderators"))

    form = client.get(f"{ADD_URL}?memory={memory.pk}")
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, reply_form(memory, profile, **PUBLISH))
    assert response.status_code == 302

    reply = MemoryReply.objects.get()
    assert reply.live and reply.memory == memory
    assert reply.revisions.count() == 1
    client.logout()
    for url in (obj.get_absolute_url(), f"/memories/{memory.public_id}/", "/memories/", "/"):
        html = client.get(url).content.decode()
        assert "We found your name in the 1985 programme!" in html, url
        assert "Reply from <strong>Sam Jones</strong>, Archivist, Battersea Arts Centre" in html
        assert "moderators-login-qx" not in html and "moderators-secret@" not in html


def test_a_curator_writes_a_draft_but_cannot_publish_it(client, staff, profile):
    memory = MemoryFactory()
    client.force_login(staff("Curators"))

    response = client.post(ADD_URL, reply_form(memory, profile, **PUBLISH))

    reply = MemoryReply.objects.get()
    assert response.status_code in (200, 302)
    assert not reply.live  # saved as a draft: publishing needs the moderation permission
    assert "We found your name" not in client.get(f"/memories/{memory.public_id}/").content.decode()
    edit = client.get(f"/admin/memories/replies/edit/{reply.pk}/").content.decode()
    assert 'name="action-publish"' not in edit


def test_editing_a_published_reply_keeps_revisions_and_shows_the_new_text(client, staff, profile):
    memory = MemoryFactory()
    client.force_login(staff("Moderators"))
    client.post(ADD_URL, reply_form(memory, profile, **PUBLISH))
    reply = MemoryReply.objects.get()

    client.post(
        f"/admin/memories/replies/edit/{reply.pk}/",
        reply_form(memory, profile, text="Corrected: it was the 1986 programme.", **PUBLISH),
    )

    assert reply.revisions.count() == 2
    html = client.get(f"/memories/{memory.public_id}/").content.decode()
    assert "Corrected: it was the 1986 programme." in html
    assert "1985 programme" not in html


def test_replies_go_under_published_memories_only(client, staff, profile):
    memory = MemoryFactory(status=Memory.Status.PENDING)
    client.force_login(staff("Moderators"))

    response = client.post(ADD_URL, reply_form(memory, profile, **PUBLISH))

    assert response.status_code == 200
    assert "approve this memory first" in response.content.decode()
    assert not MemoryReply.objects.exists()


def test_bad_replies_get_clear_messages(client, staff, profile):
    memory = MemoryFactory()
    client.force_login(staff("Moderators"))

    # Drafts may be saved unfinished (Wagtail defers "required" for drafts); publishing not.
    empty = client.post(ADD_URL, reply_form(memory, profile, text="   ", **PUBLISH))
    oversized = client.post(ADD_URL, reply_form(memory, profile, text="x" * 2001, **PUBLISH))

    assert empty.status_code == 200, empty.status_code
    assert "This field is required" in empty.content.decode()
    assert "at most 2000 characters" in oversized.content.decode()
    assert not MemoryReply.objects.exists()


def test_a_script_laden_reply_is_shown_as_text(client, staff, profile):
    memory = MemoryFactory()
    client.force_login(staff("Moderators"))
    client.post(ADD_URL, reply_form(memory, profile, text="<script>alert(1)</script>", **PUBLISH))

    html = client.get(f"/memories/{memory.public_id}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_replies_are_in_the_api_and_the_contributors_export(client, staff, profile):
    memory = MemoryFactory()
    client.force_login(staff("Moderators"))
    client.post(ADD_URL, reply_form(memory, profile, **PUBLISH))
    client.post(ADD_URL, reply_form(memory, profile, text="A draft not yet out."))
    client.logout()

    api = client.get(f"/api/v1/memories/{memory.public_id}").json()
    assert [reply["signed"] for reply in api["replies"]] == [
        "Sam Jones, Archivist, Battersea Arts Centre"
    ]
    assert api["replies"][0]["text"] == "We found your name in the 1985 programme!"
    export = json.loads(client.get(private_url(memory.public_id) + "export.json").content)
    assert [reply["reply"] for reply in export["replies"]] == [
        "We found your name in the 1985 programme!"
    ]
    assert "moderators-secret@" not in json.dumps(api) + json.dumps(export["replies"])


def test_the_review_page_links_to_a_reply_under_the_memory(client, staff):
    memory = MemoryFactory()
    client.force_login(staff("Moderators"))

    html = client.get(f"/admin/memories/review/{memory.pk}/").content.decode()

    assert f"{ADD_URL}?memory={memory.pk}" in html
    form = client.get(f"{ADD_URL}?memory={memory.pk}").content.decode()
    assert f'value="{memory.pk}"' in form


def test_a_curator_chooses_among_published_memories_only(client, staff):
    published = MemoryFactory(text="The published one, about the organ.")
    MemoryFactory(status=Memory.Status.PENDING, text="The pending one, not for curators.")
    client.force_login(staff("Curators"))

    chooser = client.get("/admin/memory_chooser/")

    assert chooser.status_code == 200
    html = chooser.content.decode()
    assert published.attribution in html
    assert "The pending one" not in html
    assert client.get("/admin/memories/memory/").status_code in (302, 403)
