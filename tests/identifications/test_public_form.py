"""The public "Help us identify" form: a suggestion is stored once, privately,
and bad input gets a clear message with nothing the visitor typed lost."""

import re

import pytest
from django.core import mail

from identifications.links import thanks_token_public_id
from identifications.models import Identification
from memories.links import form_started_stamp
from tests.factories.objects import CollectionObjectFactory

from .support import CONTRIBUTOR_EMAIL, form_data, identify_url

pytestmark = pytest.mark.django_db


def errors(response) -> str:
    return " ".join(
        " ".join(str(e) for e in errs) for errs in response.context["form"].errors.values()
    )


def test_the_object_page_invites_help_and_the_form_stores_one_pending_suggestion(
    client, django_capture_on_commit_callbacks
):
    obj = CollectionObjectFactory(title="Cinderella photograph")
    page = client.get(obj.get_absolute_url()).content.decode()
    assert f'href="{identify_url(obj)}"' in page

    form = client.get(identify_url(obj))
    assert form.status_code == 200
    assert "Help us identify" in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(identify_url(obj), form_data())

    assert response.status_code == 302 and "/identify/thank-you/" in response["Location"]
    identification = Identification.objects.get()
    assert identification.status == "pending" and identification.object == obj
    assert identification.contact.email == CONTRIBUTOR_EMAIL
    assert client.get(response["Location"]).status_code == 200
    [email] = mail.outbox
    assert email.to == [CONTRIBUTOR_EMAIL]
    link = re.search(r"/identify/yours/\S+/", email.body).group(0)
    private = client.get(link).content.decode()
    assert "Waiting for review" in private and "Maggie Thompson" in private
    # Nothing of it is public.
    assert "Maggie Thompson" not in client.get(obj.get_absolute_url()).content.decode()


def test_a_replayed_submission_makes_one_record_and_shows_the_same_thanks(client):
    obj = CollectionObjectFactory()
    data = form_data()
    first = client.post(identify_url(obj), data)
    replay = client.post(identify_url(obj), data)

    assert Identification.objects.count() == 1
    assert replay.status_code == 302
    # Both thank-you addresses are for the one suggestion.
    tokens = [response["Location"].split("/")[3] for response in (first, replay)]
    assert {thanks_token_public_id(token) for token in tokens} == {
        Identification.objects.get().public_id
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": "", "kind": None}, "value", "Write your answer"),
        ({"value": "\u200b\u200b  "}, "value", "Write your answer"),
        ({"value": "x" * 256}, "value", "at most 255 characters"),
        ({"details": "y" * 2001}, "details", "at most 2,000 characters"),
        ({"email": "not-an-address"}, "email", "name@example.com"),
        ({"consent": None}, "consent", "Tick this box"),
        ({"website": "http://spam.example"}, "website", "trap for automatic spam"),
        ({"started": "forged"}, "started", "could not be checked"),
        (
            {"details": "http://a.ru http://b.ru http://c.ru"},
            "details",
            "web addresses; at most 2 are allowed",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_keeps_what_was_typed(
    client, overrides, field, message
):
    obj = CollectionObjectFactory()
    data = form_data(**overrides)
    response = client.post(identify_url(obj), data)

    assert response.status_code == 400
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert not Identification.objects.exists()
    html = response.content.decode()
    assert "There is a problem to fix" in html or "There are problems to fix" in html
    if data.get("source"):
        assert data["source"] in html  # what they typed is still in the form


def test_script_laden_text_is_stored_as_typed_and_never_run(client, reviewer):
    obj = CollectionObjectFactory()
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(identify_url(obj), form_data(value=f"Jane {script}", details=script))
    identification = Identification.objects.get()
    assert identification.value == f"Jane {script}"

    from identifications.links import private_url

    page = client.get(private_url(identification.public_id)).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    client.force_login(reviewer)
    review = client.get(f"/admin/identifications/review/{identification.pk}/").content.decode()
    assert "<script>alert" not in review


def test_too_fast_and_rate_limited_submissions_keep_the_text(client, settings):
    obj = CollectionObjectFactory()
    settings.MEMORIES_FORM_MIN_SECONDS = 60
    response = client.post(identify_url(obj), form_data(started=form_started_stamp()))
    assert response.status_code == 400
    assert "faster than anyone can type" in errors(response)

    settings.MEMORIES_FORM_MIN_SECONDS = 0
    settings.MEMORIES_RATE_PER_IP = "1/h"
    assert client.post(identify_url(obj), form_data()).status_code == 302
    limited = client.post(identify_url(obj), form_data(value="Second suggestion"))
    assert limited.status_code == 429 and limited["Retry-After"]
    assert "Second suggestion" in limited.content.decode()
    assert Identification.objects.count() == 1


def test_unpublished_objects_cannot_be_identified(client):
    draft = CollectionObjectFactory(live=False)
    assert client.get(identify_url(draft)).status_code == 404
    assert client.post(identify_url(draft), form_data()).status_code == 404


def test_a_tampered_private_link_says_so(client):
    response = client.get("/identify/yours/not-a-real-token/")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_a_confirmation_left_unsent_by_a_broker_outage_is_sent_by_the_sweep(client):
    from datetime import timedelta

    from django.utils import timezone

    from identifications.tasks import identifications_sweep

    obj = CollectionObjectFactory()
    # Sent outside on-commit callbacks: as if the broker had been down, nothing is queued.
    client.post(identify_url(obj), form_data())
    assert mail.outbox == []
    Identification.objects.update(submitted_at=timezone.now() - timedelta(minutes=5))

    assert identifications_sweep() == 1
    assert [m.to for m in mail.outbox] == [[CONTRIBUTOR_EMAIL]]
    assert identifications_sweep() == 0  # sent once, never again
    assert len(mail.outbox) == 1
