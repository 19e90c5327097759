"""Calls for memories through the public pages: the call page, its feed, the
pages it links to, and answering it through the memory form."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from memories.models import Memory, MemoryReply
from tests.factories.calls import CallPageFactory
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory, ProductionFactory
from tests.factories.stories import StaffProfileFactory
from tests.memories.support import form_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def reply_to(memory, text="Thank you: we found your name in the 1985 programme.", live=True):
    author = StaffProfileFactory(name="Sam Jones", role="Archivist, Battersea Arts Centre")
    reply = MemoryReply.objects.create(memory=memory, author=author, text=text, live=False)
    revision = reply.save_revision()
    if live:
        revision.publish()
    return reply


@pytest.fixture
def call_with_responses():
    obj = CollectionObjectFactory(title="Pantomime poster 1985")
    call = CallPageFactory(title="Were you at the 1985 pantomime?", objects=[obj])
    first = MemoryFactory(call=call, object=obj, text="I was the back half of the horse.")
    second = MemoryFactory(call=call, object=obj, text="My dad ran the bar that winter.")
    MemoryFactory(call=call, object=obj, status=Memory.Status.PENDING, text="Still in review.")
    reply_to(first)
    return call, obj, first, second


def test_call_page_lists_approved_responses_with_a_count_and_replies(client, call_with_responses):
    call, obj, first, second = call_with_responses

    html = client.get(call.url).content.decode()

    assert "Were you at the 1985 pantomime?" in html
    assert 'Responses <span class="call__count">(2)</span>' in html
    assert "back half of the horse" in html and "ran the bar" in html
    assert "Still in review." not in html
    assert "Reply from <strong>Sam Jones</strong>, Archivist, Battersea Arts Centre" in html
    assert f'href="/memories/share/?call={call.pk}"' in html  # answer from the call page
    assert "Open" in html and "Closed" not in html


def test_a_closed_call_says_so_and_keeps_its_responses(client, call_with_responses):
    call, obj, *_ = call_with_responses
    call.closes_at = timezone.now() - timedelta(days=1)
    call.save_revision().publish()

    html = client.get(call.url).content.decode()
    assert "<strong>Closed</strong>" in html
    assert "back half of the horse" in html
    assert "/memories/share/?call=" not in html
    # Nor is it offered on the object's page any more (its responses still say what
    # they answered).
    object_html = client.get(obj.get_absolute_url()).content.decode()
    assert f"/memories/share/?call={call.pk}" not in object_html
    assert f'In answer to <a href="{call.url}">' in object_html


def test_the_feed_is_atom_with_the_approved_responses(client, call_with_responses):
    call, *_ = call_with_responses
    call.title = "Were you at the <b>1985</b> pantomime?"
    call.save_revision().publish()
    MemoryFactory(call=call, text="<script>alert('x')</script> I sold ices.")

    response = client.get(f"{call.url}feed/")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    summaries = [entry.find(f"{ATOM}summary").text for entry in entries]
    # The contributor's text is escaped inside the HTML summary: no live script tag.
    assert any("&lt;script&gt;" in summary for summary in summaries)
    assert not any("<script>" in summary for summary in summaries)
    assert f'href="{call.url}feed/"' in client.get(call.url).content.decode()


def test_an_open_call_shows_on_its_object_production_and_home_pages(client):
    production = ProductionFactory(title="Cinderella")
    obj = CollectionObjectFactory(production=production)
    other = CollectionObjectFactory()
    call = CallPageFactory(title="Who played the ugly sisters?", objects=[obj])
    production_call = CallPageFactory(title="Did you see Cinderella?", productions=[production])

    object_html = client.get(obj.get_absolute_url()).content.decode()
    assert "Who played the ugly sisters?" in object_html
    assert f"/memories/share/?call={call.pk}&amp;object={obj.slug}" in object_html
    assert "Did you see Cinderella?" in object_html  # asks about the object's production
    assert (
        "Who played the ugly sisters?" not in client.get(other.get_absolute_url()).content.decode()
    )
    assert "Did you see Cinderella?" in client.get(production.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()
    assert "Who played the ugly sisters?" in home and "Did you see Cinderella?" in home
    assert production_call.is_open()


def test_a_call_not_yet_live_or_unpublished_is_shown_nowhere(client):
    obj = CollectionObjectFactory()
    draft = CallPageFactory(title="A draft question?", objects=[obj], live=False)
    scheduled = CallPageFactory(title="A scheduled question?", objects=[obj], live=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=3)
    scheduled.save_revision().publish()  # with a go-live date in the future: scheduled

    response = client.get(f"/calls/{draft.slug}/")
    assert response.status_code == 404, (response.status_code, response.get("Location"))
    html = client.get(obj.get_absolute_url()).content.decode() + client.get("/").content.decode()
    assert "A draft question?" not in html and "A scheduled question?" not in html


# --- Answering a call --------------------------------------------------------------


def test_answering_from_an_object_page_records_the_call_and_the_object(client):
    obj = CollectionObjectFactory()
    call = CallPageFactory(objects=[obj])

    form = client.get(f"/memories/share/?call={call.pk}&object={obj.slug}").content.decode()
    assert "You are answering the call for memories" in form
    response = client.post(f"/memories/share/?call={call.pk}&object={obj.slug}", form_data())

    assert response.status_code == 302
    memory = Memory.objects.get()
    assert (memory.call, memory.object, memory.status) == (call, obj, Memory.Status.PENDING)


def test_answering_from_the_call_page_records_its_first_object(client):
    obj = CollectionObjectFactory(title="A")
    CollectionObjectFactory(title="Z")
    call = CallPageFactory(objects=[obj])

    client.post(f"/memories/share/?call={call.pk}", form_data())

    memory = Memory.objects.get()
    assert (memory.call, memory.object) == (call, obj)


def test_a_call_closed_while_writing_says_so_and_keeps_the_text(client):
    obj = CollectionObjectFactory()
    call = CallPageFactory(objects=[obj])
    url = f"/memories/share/?call={call.pk}&object={obj.slug}"
    client.get(url)
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save_revision().publish()
    text = "I remember the snow machine breaking down on the first night."

    response = client.post(url, form_data(text=text))

    assert response.status_code == 409
    html = response.content.decode()
    assert "This call for memories has closed" in html
    assert text in html  # every word kept in the form
    assert f'action="/memories/share/?object={obj.slug}"' in html
    assert not Memory.objects.exists()
    # Sent again from there, it is kept as a memory of the object, outside the call.
    data = form_data(text=text)
    response = client.post(f"/memories/share/?object={obj.slug}", data)
    assert response.status_code == 302
    memory = Memory.objects.get()
    assert (memory.call, memory.object, memory.text) == (None, obj, text)


def test_bad_input_to_a_call_gets_clear_messages_and_nothing_is_lost(client, settings):
    call = CallPageFactory()
    url = f"/memories/share/?call={call.pk}"

    empty = client.post(url, form_data(text=""))
    assert empty.status_code == 400
    assert "Write your memory in the box" in empty.content.decode()

    settings.MEMORIES_TEXT_MAX_CHARS = 100
    long_text = "The red seats. " * 20
    oversized = client.post(url, form_data(text=long_text))
    assert oversized.status_code == 400
    assert "the limit is 100" in oversized.content.decode()
    assert long_text.strip() in oversized.content.decode()
    settings.MEMORIES_TEXT_MAX_CHARS = 10000

    data = form_data(text="<script>alert('bac')</script> I loved the <b>pantomime</b>.")
    assert client.post(url, data).status_code == 302
    replay = client.post(url, data)  # the same form sent again
    assert replay.status_code == 302
    assert Memory.objects.count() == 1
    memory = Memory.objects.get()
    memory.status = Memory.Status.APPROVED
    memory.approved_at = timezone.now()
    memory.save()

    html = client.get(call.url).content.decode()
    assert "&lt;script&gt;alert(&#x27;bac&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "١٢", "-1", "1\x00"])
def test_a_malformed_or_unknown_call_is_a_general_memory(client, value):
    response = client.get("/memories/share/", {"call": value})

    assert response.status_code == 200
    assert "You are answering the call" not in response.content.decode()


def test_the_form_of_a_closed_call_says_so_before_anything_is_written(client):
    obj = CollectionObjectFactory()
    call = CallPageFactory(objects=[obj], closes_at=timezone.now() - timedelta(days=2))

    html = client.get(f"/memories/share/?call={call.pk}&object={obj.slug}").content.decode()

    assert "This call for memories has closed" in html
    assert "You can still share a memory" in html
    assert f'action="/memories/share/?object={obj.slug}"' in html
