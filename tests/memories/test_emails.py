"""Emails a contributor asked for: "your memory is now public", "the BAC team
replied", "your call response was featured". Sent by Celery jobs after commit,
only to those who opted in, each with an RFC 8058 one-click unsubscribe that
works without logging in; the private link changes the choice."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from memories import services, tasks, updates
from memories.links import private_url
from memories.models import Memory, MemoryReply
from memories.update_emails import memory_send_published, unsubscribe_token, unsubscribe_url
from tests.factories.calls import CallPageFactory
from tests.factories.memories import MemoryFactory
from tests.factories.stories import StaffProfileFactory
from tests.memories.support import form_data

pytestmark = pytest.mark.django_db

SITE = "https://collection.bac.example"


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_BASE_URL = SITE


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod-zq", "mod-zq@bac.example", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def share(client, capture, **answers) -> Memory:
    with capture(execute=True):
        response = client.post("/memories/share/", form_data(**answers))
    assert response.status_code == 302
    mail.outbox.clear()  # the confirmation with the private link: not an update email
    return Memory.objects.latest("pk")


def update_emails(subject_start: str) -> list:
    return [email for email in mail.outbox if email.subject.startswith(subject_start)]


def test_an_opted_in_contributor_hears_their_memory_is_public_once(
    client, moderator, django_capture_on_commit_callbacks
):
    memory = share(client, django_capture_on_commit_callbacks, email_updates="on")
    assert memory.email_updates

    with django_capture_on_commit_callbacks(execute=True):
        services.memory_approve(memory=memory, user=moderator)
    with django_capture_on_commit_callbacks(execute=True):  # approved again after a report
        services.memory_approve(memory=memory, user=moderator)

    [email] = update_emails("Your memory of BAC is now public")
    assert email.to == ["maggie@example.org"]
    assert f"{SITE}/memories/{memory.public_id}/" in email.body
    unsubscribe = email.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{SITE}/memories/unsubscribe/") and unsubscribe.endswith(">")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in email.body
    # The unsubscribe link opens nothing else: not the private page.
    assert private_url(memory.public_id) not in unsubscribe


def test_nothing_is_sent_to_contributors_who_did_not_opt_in(
    client, moderator, django_capture_on_commit_callbacks
):
    memory = share(client, django_capture_on_commit_callbacks)  # box left unticked
    call = CallPageFactory()
    Memory.objects.filter(pk=memory.pk).update(call=call)

    with django_capture_on_commit_callbacks(execute=True):
        services.memory_approve(memory=memory, user=moderator)
        updates.memory_feature(memory=memory, featured=True)
        reply = MemoryReply.objects.create(memory=memory, author=StaffProfileFactory(), text="Hi")
        reply.save_revision().publish()

    assert not memory.email_updates
    assert mail.outbox == []


def test_a_published_reply_and_a_featured_response_email_the_contributor(
    client, moderator, django_capture_on_commit_callbacks
):
    call = CallPageFactory(title="Were you at the 1985 pantomime?")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/memories/share/?call={call.pk}", form_data(email_updates="on"))
    memory = Memory.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.memory_approve(memory=memory, user=moderator)
    mail.outbox.clear()

    author = StaffProfileFactory(name="Sam Jones", role="Archivist")
    reply = MemoryReply.objects.create(memory=memory, author=author, text="We remember you!")
    with django_capture_on_commit_callbacks(execute=True):
        reply.save_revision()  # a draft: nothing yet
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        reply.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        reply.save_revision().publish()  # an edit republished: no second email

    [replied] = update_emails("The BAC team replied")
    assert "Sam Jones (Archivist)" in replied.body and "We remember you!" in replied.body
    assert replied.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "mod-zq" not in replied.body

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/memories/review/{memory.pk}/", {"action": "feature"})
    [featured] = update_emails("Your memory is featured")
    assert f"{SITE}{call.url}" in featured.body
    memory.refresh_from_db()
    assert memory.featured_at is not None
    client.logout()
    html = client.get(call.url).content.decode()
    assert html.index("Featured") < html.index("We remember you!")


def test_one_click_unsubscribe_works_without_login_and_stops_every_update(
    client, moderator, django_capture_on_commit_callbacks
):
    first = share(client, django_capture_on_commit_callbacks, email_updates="on")
    second = share(client, django_capture_on_commit_callbacks, email_updates="on")
    url = unsubscribe_url(first.public_id).removeprefix(SITE)

    confirm = client.get(url)  # a person (or a link scanner): only asks
    assert confirm.status_code == 200
    assert "Stop emails about your memory?" in confirm.content.decode()
    first.refresh_from_db()
    assert first.email_updates

    # What a mail provider sends (RFC 8058): a POST with no cookie and no CSRF token.
    response = client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "You will get no more of these emails" in response.content.decode()
    assert not Memory.objects.filter(email_updates=True).exists()
    assert {first.pk, second.pk} <= set(Memory.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        services.memory_approve(memory=second, user=moderator)
    assert mail.outbox == []


def test_a_tampered_unsubscribe_link_says_so(client):
    memory = MemoryFactory(email_updates=True)
    token = unsubscribe_token(memory.public_id)

    response = client.post(f"/memories/unsubscribe/{token[:-2]}xx/")

    assert response.status_code == 404
    assert "does not work" in response.content.decode()
    memory.refresh_from_db()
    assert memory.email_updates


def test_the_private_link_changes_the_choice(client, django_capture_on_commit_callbacks):
    memory = share(client, django_capture_on_commit_callbacks)
    page = private_url(memory.public_id)
    html = client.get(page).content.decode()
    assert "Emails about your memory" in html
    assert 'name="email_updates" id="id_private_email_updates" ' not in html  # unticked

    response = client.post(f"{page}emails/", {"email_updates": "on"})
    assert response.status_code == 302
    memory.refresh_from_db()
    assert memory.email_updates
    assert "Your choice is saved." in client.get(response["Location"]).content.decode()

    client.post(f"{page}emails/", {})
    memory.refresh_from_db()
    assert not memory.email_updates


def test_emails_need_an_address(client):
    memory = MemoryFactory(contact__email="", email_updates=False)
    page = private_url(memory.public_id)

    client.post(f"{page}emails/", {"email_updates": "on"})

    memory.refresh_from_db()
    assert not memory.email_updates
    assert "You gave no email address" in client.get(page).content.decode()


def test_the_jobs_go_through_the_broker_after_commit(
    client, moderator, django_capture_on_commit_callbacks
):
    memory = share(client, django_capture_on_commit_callbacks, email_updates="on")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.memory_approve(memory=memory, user=moderator)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(update_emails("Your memory of BAC is now public")) == 1


def test_a_job_run_twice_sends_once(moderator):
    memory = MemoryFactory(email_updates=True)

    assert memory_send_published(memory_id=memory.pk)
    assert not memory_send_published(memory_id=memory.pk)
    assert len(mail.outbox) == 1


def test_the_sweep_sends_what_a_broker_outage_left_unsent():
    """Jobs queued while the broker was down were lost; the beat sweep finds them."""
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(minutes=10)
    call = CallPageFactory()
    memory = MemoryFactory(email_updates=True, approved_at=long_ago, call=call)
    Memory.objects.filter(pk=memory.pk).update(featured_at=long_ago)
    reply = MemoryReply.objects.create(memory=memory, author=StaffProfileFactory(), text="Hi")
    reply.save_revision().publish()
    MemoryReply.objects.filter(pk=reply.pk).update(last_published_at=long_ago, notified_at=None)
    MemoryFactory(approved_at=long_ago)  # did not opt in
    mail.outbox.clear()

    counts = tasks.memories_sweep()

    assert (counts["published_notices"], counts["featured_notices"], counts["reply_notices"]) == (
        1,
        1,
        1,
    )
    assert sorted(email.subject for email in mail.outbox) == [
        "The BAC team replied to your memory",
        "Your memory is featured on a BAC call for memories",
        "Your memory of BAC is now public",
    ]
    assert tasks.memories_sweep()["published_notices"] == 0
