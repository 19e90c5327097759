"""Staff write calls in the admin: Curators draft them under the calls index,
Publishers publish them; the closing date must follow the go-live date."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from calls.models import CallIndexPage, CallPage

pytestmark = pytest.mark.django_db


def staff_client(client, django_user_model, group):
    user = django_user_model.objects.create_user(f"{group}-zq", f"{group}@bac.example", "pw")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def call_form(**overrides):
    data = {
        "title": "Were you at the 1985 pantomime?",
        "slug": "1985-pantomime",
        "context": "We have the poster but not the names of the cast.",
        "closes_at": "",
        "image_alt_text": "",
        "decade": "1980",
    }
    data.update(overrides)
    return data


def add_url() -> str:
    return f"/admin/pages/add/calls/callpage/{CallIndexPage.objects.get().pk}/"


def test_a_curator_drafts_a_call_but_cannot_publish_it(client, django_user_model):
    client = staff_client(client, django_user_model, "Curators")

    assert client.get(add_url()).status_code == 200
    response = client.post(add_url(), {**call_form(), "action-publish": "action-publish"})

    assert response.status_code == 302
    call = CallPage.objects.get()
    assert not call.live
    assert client.get("/calls/").content.decode().count("1985 pantomime") == 0


def test_a_publisher_publishes_a_call_and_it_is_open(client, django_user_model):
    client = staff_client(client, django_user_model, "Publishers")

    client.post(add_url(), {**call_form(), "action-publish": "action-publish"})

    call = CallPage.objects.get()
    assert call.live and call.is_open()
    assert "Were you at the 1985 pantomime?" in client.get("/calls/").content.decode()


def test_the_closing_date_must_come_after_the_go_live_date(client, django_user_model):
    client = staff_client(client, django_user_model, "Publishers")
    go_live = timezone.now() + timedelta(days=10)
    closes = go_live - timedelta(days=1)

    response = client.post(
        add_url(),
        {
            **call_form(
                go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
                closes_at=closes.strftime("%Y-%m-%d %H:%M"),
            ),
            "action-publish": "action-publish",
        },
    )

    assert response.status_code == 200
    assert "The closing date must come after the go-live date." in response.content.decode()
    assert not CallPage.objects.exists()
