"""The contributor's private link: view, edit, export, withdraw, and getting it again."""

import json
import re
from pathlib import Path

import pytest
from django.core import mail

from images.models import ArchiveImage, ArchiveRendition
from memories.links import private_url
from memories.models import Memory, MemoryContact, MemoryModerationEvent, MemoryWithdrawal
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory
from tests.images.files import jpeg_with_gps

from .support import form_data, mp3_bytes, upload

pytestmark = pytest.mark.django_db


def test_the_private_page_shows_the_memory_and_its_consent(client):
    memory = MemoryFactory(status=Memory.Status.PENDING, text="The <b>red</b> seats")
    response = client.get(private_url(memory.public_id))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Waiting for review" in html
    assert "The &lt;b&gt;red&lt;/b&gt; seats" in html  # escaped, never rendered
    assert f"consent wording version {memory.consent_wording.version}" in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_tampered_link_is_refused_with_a_way_forward(client):
    memory = MemoryFactory()
    good = private_url(memory.public_id)
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA/") else "BBB") + "/"

    response = client.get(tampered)

    assert response.status_code == 404
    assert "incomplete or has been changed" in response.content.decode()
    assert "/memories/lost-link/" in response.content.decode()


def test_a_link_signed_for_another_memory_id_does_not_open_it(client):
    memory = MemoryFactory()
    other = MemoryFactory()
    token_a = private_url(memory.public_id).split("/")[-2]
    forged = other.public_id.hex + ":" + token_a.split(":")[1]
    assert client.get(f"/memories/yours/{forged}/").status_code == 404


def test_an_edit_goes_back_to_moderation_and_is_recorded(
    client, django_capture_on_commit_callbacks
):
    memory = MemoryFactory(status=Memory.Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            private_url(memory.public_id),
            {
                "text": "Better words.",
                "when_happened": "1999",
                "display_name": "M",
                "relationship": "performer",
            },
        )

    assert response.status_code == 200
    memory.refresh_from_db()
    assert memory.text == "Better words." and memory.year == 1999
    assert memory.status == Memory.Status.PENDING
    event = MemoryModerationEvent.objects.get(memory=memory, action="contributor-edit")
    assert set(event.changed_fields) >= {"text", "when_happened", "relationship"}
    assert any("waiting for review" in m.subject for m in mail.outbox)


def test_export_gives_their_own_data_as_json(client):
    memory = MemoryFactory(text="Mine", contact__email="me@example.org")
    MemoryFactory(text="Somebody else's", contact__email="them@example.org")

    response = client.get(private_url(memory.public_id) + "export.json")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["memory"] == "Mine" and data["email"] == "me@example.org"
    assert data["consent"]["wording_version"] == memory.consent_wording.version
    assert "Somebody else" not in response.content.decode()
    assert "them@example.org" not in response.content.decode()


def _share_with_files(client, django_capture_on_commit_callbacks, obj):
    data = form_data(display_name="Withdrawing Person")
    data["photo"] = upload("me.jpg", jpeg_with_gps(800, 600), "image/jpeg")
    data["audio"] = upload("me.mp3", mp3_bytes(2), "audio/mpeg")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/memories/share/?object={obj.slug}", data)
    return Memory.objects.get()


def test_withdrawal_removes_the_memory_its_files_and_keeps_a_content_free_record(
    client, django_capture_on_commit_callbacks, media_root, private_media_root
):
    obj = CollectionObjectFactory()
    memory = _share_with_files(client, django_capture_on_commit_callbacks, obj)
    Memory.objects.filter(pk=memory.pk).update(status=Memory.Status.APPROVED)
    assert "Withdrawing Person" in client.get(obj.get_absolute_url()).content.decode()
    files = [private_media_root / memory.audio.name, private_media_root / memory.photo.file.name]
    files += [Path(media_root) / r.file.name for r in ArchiveRendition.objects.all()]
    assert all(path.exists() for path in files) and len(files) > 3
    link = private_url(memory.public_id)

    assert client.get(link + "withdraw/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link + "withdraw/")

    assert response.status_code == 200
    assert "has been withdrawn" in response.content.decode()
    assert not Memory.objects.exists()
    assert not MemoryContact.objects.exists()
    assert not ArchiveImage.objects.filter(pk=memory.photo_id).exists()
    assert not any(path.exists() for path in files)
    assert "Withdrawing Person" not in client.get(obj.get_absolute_url()).content.decode()
    withdrawal = MemoryWithdrawal.objects.get()
    assert {f.name for f in MemoryWithdrawal._meta.fields} == {
        "id",
        "public_id",
        "submitted_at",
        "withdrawn_at",
    }
    assert withdrawal.public_id == memory.public_id
    again = client.get(link)
    assert again.status_code == 410
    assert "was withdrawn" in again.content.decode()


def test_a_lost_link_is_sent_again_to_that_address_only(client, django_capture_on_commit_callbacks):
    mine = [MemoryFactory(contact__email="me@example.org") for _ in range(2)]
    MemoryFactory(contact__email="other@example.org")

    response = client.post("/memories/lost-link/", {"email": "ME@example.org"})

    assert response.status_code == 200
    assert "we have emailed you" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["me@example.org"]
    links = re.findall(r"/memories/yours/\S+/", mail.outbox[0].body)
    assert sorted(links) == sorted(private_url(m.public_id) for m in mine)
    for link in links:
        assert client.get(link).status_code == 200


def test_a_lost_link_for_an_unknown_address_answers_the_same_and_sends_nothing(client):
    response = client.post("/memories/lost-link/", {"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "we have emailed you" in response.content.decode()
    assert mail.outbox == []


def test_a_bad_address_for_a_lost_link_says_what_to_fix(client):
    response = client.post("/memories/lost-link/", {"email": "nope"})
    assert response.status_code == 400
    assert "like name@example.com" in response.content.decode()
