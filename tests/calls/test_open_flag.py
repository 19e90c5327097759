"""Home and object pages skip the open-calls query while no call is open
(calls/open_flag.py), yet a call shows as soon as it is published, and goes
when it is unpublished or its closing time passes."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.calls import CallPageFactory
from tests.objects.pages_support import object_with_image

pytestmark = pytest.mark.django_db


def home(client, visit: str) -> str:
    return client.get(f"/?visit={visit}").content.decode()


def call_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if 'FROM "calls_callpage"' in q["sql"]]


def test_no_call_open_costs_no_query_once_known(client):
    obj = object_with_image(title="Festival poster")
    client.get("/?visit=first")
    assert call_queries(client, "/?visit=second") == []
    assert call_queries(client, obj.get_absolute_url()) == []


def test_a_call_published_shows_at_once_and_goes_when_unpublished(client):
    assert "Were you there" not in home(client, "before")
    call = CallPageFactory(title="Were you there in 1999?")
    assert call.title in home(client, "published")
    call.unpublish()
    assert call.title not in home(client, "unpublished")


def test_a_call_goes_from_home_when_its_closing_time_passes(client):
    call = CallPageFactory(
        title="Were you there in 1987?",
        closes_at=timezone.now() + datetime.timedelta(seconds=2),
    )
    assert call.title in home(client, "open")
    time.sleep(2.5)
    assert call.title not in home(client, "closed")
