"""load_demo_calls: one open sample call with two sample responses and one reply,
labelled as sample content, built from the sample records, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from calls.models import CallPage
from memories.models import Memory, MemoryReply

pytestmark = pytest.mark.django_db


def run(command):
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_the_sample_call_has_two_responses_and_a_reply_all_labelled(client):
    run("load_demo_archive")

    output = run("load_demo_calls")

    [call] = CallPage.objects.live()
    assert call.is_open() and call.is_sample_content, output
    assert all(obj.is_sample_content for obj in call.objects_asked_about.all())
    responses = Memory.objects.filter(call=call, status=Memory.Status.APPROVED)
    assert responses.count() == 2 and all(m.is_sample_content for m in responses)
    assert MemoryReply.objects.filter(live=True, memory__call=call).count() == 1

    html = client.get(call.url).content.decode()
    assert "Sample call" in html and html.count("Sample memory") == 2
    assert "Sample reply" in html
    obj = call.objects_asked_about.get()
    object_html = client.get(obj.get_absolute_url()).content.decode()
    assert call.title.replace("“", "&ldquo;")[:20] in object_html or "Sample call" in object_html
    assert "Sample call" in client.get("/").content.decode()

    assert run("load_demo_calls") == "Sample call: nothing to create.\n"
    assert CallPage.objects.count() == 1 and Memory.objects.count() == 2
