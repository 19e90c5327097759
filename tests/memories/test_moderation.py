"""Moderation in the Wagtail admin, and the Moderators group's limits."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from memories.links import private_url
from memories.models import Memory, MemoryModerationEvent
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("vol", "vol@bac.example", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_moderators_see_the_queue_and_the_count_on_the_dashboard(moderator_client):
    MemoryFactory.create_batch(3, status=Memory.Status.PENDING)
    MemoryFactory(status=Memory.Status.APPROVED)

    dashboard = moderator_client.get("/admin/")
    assert dashboard.status_code == 200
    assert "3 memories are waiting for review" in dashboard.content.decode()
    queue = moderator_client.get("/admin/memories/memory/?status=pending")
    assert queue.status_code == 200


def test_the_moderators_group_has_memory_permissions_only(moderator):
    assert moderator.get_all_permissions() == {
        "wagtailadmin.access_admin",
        "memories.view_memory",
        "memories.change_memory",
        # The team's public replies to memories, which they alone publish.
        "memories.add_memoryreply",
        "memories.change_memoryreply",
        "memories.publish_memoryreply",
        "memories.view_memoryreply",
    }


def test_moderators_can_do_nothing_but_memories(moderator_client):
    obj = CollectionObjectFactory()
    for url in (
        "/admin/snippets/objects/collectionobject/",
        f"/admin/snippets/objects/collectionobject/edit/{obj.pk}/",
        "/admin/pages/1/edit/",
        "/admin/pages/add/home/homepage/1/",
        "/admin/images/",
        "/admin/users/",
        "/admin/memories/consent-wording/new/",
        "/admin/memories/memory/new/",
    ):
        response = moderator_client.get(url)
        assert response.status_code in (302, 403) or "permission" in response.content.decode(), url
        assert response.status_code != 200, url


def test_approving_publishes_on_the_object_page(moderator_client, client):
    obj = CollectionObjectFactory()
    memory = MemoryFactory(object=obj, status=Memory.Status.PENDING, text="Unforgettable <script>")
    assert "Unforgettable" not in client.get(obj.get_absolute_url()).content.decode()

    page = moderator_client.get(f"/admin/memories/review/{memory.pk}/")
    assert page.status_code == 200
    response = moderator_client.post(f"/admin/memories/review/{memory.pk}/", {"action": "approve"})

    assert response.status_code == 302
    memory.refresh_from_db()
    assert memory.status == Memory.Status.APPROVED
    html = client.get(obj.get_absolute_url()).content.decode()
    assert "Unforgettable &lt;script&gt;" in html
    assert MemoryModerationEvent.objects.filter(memory=memory, action="approved").exists()


def test_rejecting_needs_a_reason_and_emails_it(
    moderator_client, django_capture_on_commit_callbacks
):
    memory = MemoryFactory(status=Memory.Status.PENDING, contact__email="c@example.org")

    refused = moderator_client.post(f"/admin/memories/review/{memory.pk}/", {"action": "reject"})
    assert refused.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            f"/admin/memories/review/{memory.pk}/",
            {"action": "reject", "reason": "It names a child in full."},
        )

    memory.refresh_from_db()
    assert memory.status == Memory.Status.REJECTED
    [email] = mail.outbox
    assert email.to == ["c@example.org"]
    assert "It names a child in full." in email.body
    assert private_url(memory.public_id) in email.body


def test_a_privacy_edit_is_recorded_without_the_removed_words(moderator_client, moderator):
    memory = MemoryFactory(text="Call me on 07700 900123 about the show.")
    response = moderator_client.post(
        f"/admin/memories/memory/edit/{memory.pk}/",
        {
            "text": "Call me about the show.",
            "when_happened": memory.when_happened,
            "display_name": memory.display_name,
            "photo_description": "",
            "transcript": "",
            "change_note": "Removed a phone number",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    memory.refresh_from_db()
    assert memory.text == "Call me about the show."
    event = MemoryModerationEvent.objects.get(memory=memory, action="privacy-edit")
    assert event.user == moderator and event.changed_fields == ["text"]
    assert event.note == "Removed a phone number"
    assert "07700" not in str(event.changed_fields) + event.note


def test_enough_reports_put_a_memory_back_in_review(client, settings):
    settings.MEMORIES_REPORTS_TO_REVIEW = 2
    obj = CollectionObjectFactory()
    memory = MemoryFactory(object=obj, text="Something hurtful")
    url = f"/memories/{memory.public_id}/report/"

    assert client.get(url).status_code == 200
    client.post(url, {"reason": "rude"}, REMOTE_ADDR="10.0.0.1")
    client.post(url, {"reason": "rude"}, REMOTE_ADDR="10.0.0.1")  # the same visitor counts once
    memory.refresh_from_db()
    assert memory.status == Memory.Status.APPROVED and memory.report_count == 1

    client.post(url, {"reason": ""}, REMOTE_ADDR="10.0.0.2")
    memory.refresh_from_db()
    assert memory.status == Memory.Status.PENDING
    assert "Something hurtful" not in client.get(obj.get_absolute_url()).content.decode()
    assert MemoryModerationEvent.objects.filter(memory=memory, action="reported").exists()


def test_staff_enter_an_in_person_memory_with_its_paper_consent(admin_client):
    obj = CollectionObjectFactory()
    response = admin_client.post(
        "/admin/memories/memory/new/",
        {
            "text": "Told at the Tuesday reminiscence group.",
            "when_happened": "1965",
            "display_name": "Doris",
            "relationship": "neighbour",
            "object": obj.pk,
            "licence": "site-only",
            "age_group": "13-or-over",
            "paper_form_reference": "RG-2024-017",
            "consent_witness": "A. Volunteer",
            "consent_date": "2024-03-05",
            "email": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    memory = Memory.objects.get()
    assert memory.consent_method == "in-person"
    assert memory.paper_form_reference == "RG-2024-017"
    assert memory.consent_witness == "A. Volunteer"
    assert memory.consented_at.date().isoformat() == "2024-03-05"
    assert memory.status == Memory.Status.PENDING


def test_in_person_entry_refuses_an_email_address_too_long_to_store(admin_client):
    response = admin_client.post(
        "/admin/memories/memory/new/",
        {
            "text": "Told at the Tuesday reminiscence group.",
            "relationship": "neighbour",
            "licence": "site-only",
            "age_group": "13-or-over",
            "paper_form_reference": "RG-2024-018",
            "consent_witness": "A. Volunteer",
            "consent_date": "2024-03-05",
            "email": f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 59}.org",  # 256 characters
        },
    )

    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert Memory.objects.count() == 0


def test_in_person_entry_requires_the_paper_consent_details(admin_client):
    response = admin_client.post(
        "/admin/memories/memory/new/",
        {"text": "x", "relationship": "other", "licence": "site-only", "age_group": "13-or-over"},
    )
    assert response.status_code == 200
    assert Memory.objects.count() == 0


def test_consent_wording_in_use_cannot_be_rewritten(admin_client):
    memory = MemoryFactory()
    wording = memory.consent_wording
    response = admin_client.post(
        f"/admin/memories/consent-wording/edit/{wording.pk}/", {"text": "Something else"}
    )
    assert response.status_code == 200
    wording.refresh_from_db()
    assert wording.text != "Something else"

    admin_client.post("/admin/memories/consent-wording/new/", {"text": "Version two."})
    share = admin_client.get("/memories/share/").content.decode()
    assert "Version two." in share and f"version {wording.version + 1}" in share
