"""A call for memories, end to end in a real browser at phone and desktop widths:
a visitor answers a call from an object page (asking for update emails), a
moderator approves it and replies in the admin, the response shows on the call
page and the object page with the reply, the "now public" email arrives and its
one-click unsubscribe works. axe finds nothing on the call page or its form."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from memories.models import Memory, MemoryReply
from tests.browser.support import DESKTOP, PHONE, assert_no_accessibility_violations, visit
from tests.factories.calls import CallPageFactory
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StaffProfileFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SITE = "https://collection.bac.example"
TEXT = "I was the back half of the pantomime horse in 1985, and we fell over twice."
REPLY = "We found you in the 1985 programme: thank you for telling us!"


@pytest.fixture
def journey_settings(settings):
    settings.ELASTICSEARCH_URL = ""
    settings.OPENSEARCH_URL = ""
    return settings


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "desktop"])
def test_a_visitor_answers_a_call_and_the_team_replies(
    new_page, journey_settings, django_user_model, viewport
):
    poster = CollectionObjectFactory(title="Pantomime poster 1985")
    call = CallPageFactory(
        title="Were you in the 1985 pantomime?",
        context="We have the poster but not the names of the cast.",
        objects=[poster],
    )
    StaffProfileFactory(name="Sam Jones", role="Archivist, Battersea Arts Centre")
    moderator = django_user_model.objects.create_user(
        "vol-login", "vol-private@bac.example", "a-long-passphrase"
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))
    page = new_page(viewport=viewport)

    # The visitor answers from the object page.
    visit(page, poster.get_absolute_url())
    expect(page.get_by_role("heading", name="Were you in the 1985 pantomime?")).to_be_visible()
    page.get_by_role("link", name="Answer this call").first.click()
    expect(page.get_by_text("You are answering the call for memories")).to_be_visible()
    assert_no_accessibility_violations(page, "call answer form")
    page.get_by_label("Your memory").fill(TEXT)
    page.get_by_label("Your name as it should appear").fill("Pat")
    page.get_by_label("Your email address").fill("pat-private@example.org")
    page.get_by_text("More you can add (optional)").click()
    page.get_by_label("Email me when my memory is published").check()
    page.get_by_label("I was in the audience").check()
    page.get_by_label("13 or over").check()
    page.get_by_label("Creative Commons Attribution").check()
    page.get_by_label("I agree to BAC publishing my memory").check()
    expect(page.locator("input[name=altcha]")).not_to_have_value("", timeout=20_000)
    page.get_by_role("button", name="Send my memory").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your memory"
    memory = Memory.objects.get()
    assert (memory.call_id, memory.object_id, memory.email_updates) == (call.pk, poster.pk, True)

    # A moderator approves it and replies.
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("vol-login")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/admin/memories/review/{memory.pk}/")
    page.get_by_role("button", name="Approve and publish").click()
    page.goto(f"/admin/memories/review/{memory.pk}/")
    page.get_by_role("link", name="Write a public reply").click()
    page.locator("#id_author").select_option(label="Sam Jones, Archivist, Battersea Arts Centre")
    page.locator("#id_text").fill(REPLY)
    publish = page.locator('button[name="action-publish"]')
    if not publish.is_visible():  # behind the save button's "more actions" toggle
        page.locator(
            "footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']"
        ).first.click()
    publish.click()
    expect(page.get_by_text("published", exact=False).first).to_be_visible()
    assert MemoryReply.objects.get().live
    page.context.clear_cookies()  # an anonymous visitor again

    # The response, with the reply, on the call page and the object page.
    for url in (call.url, poster.get_absolute_url()):
        visit(page, url)
        expect(page.get_by_text(TEXT)).to_be_visible()
        expect(page.get_by_text(REPLY)).to_be_visible()
        expect(
            page.get_by_text("Reply from Sam Jones, Archivist, Battersea Arts Centre")
        ).to_be_visible()
    visit(page, call.url)
    expect(page.get_by_role("heading", name=re.compile(r"Responses \(1\)"))).to_be_visible()
    assert_no_accessibility_violations(page, "call page")
    visit(page, "/calls/")
    expect(page.get_by_role("link", name="Were you in the 1985 pantomime?")).to_be_visible()
    assert_no_accessibility_violations(page, "calls index")
    assert "vol-login" not in page.content() and "private@" not in page.content()

    # The opt-in emails arrived, each with a one-click unsubscribe that works.
    public = [m for m in mail.outbox if m.subject == "Your memory of BAC is now public"]
    replied = [m for m in mail.outbox if m.subject == "The BAC team replied to your memory"]
    assert len(public) == 1 and len(replied) == 1
    assert public[0].to == ["pat-private@example.org"]
    assert public[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = public[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{SITE}/memories/unsubscribe/")
    visit(page, unsubscribe.removeprefix(SITE))
    assert_no_accessibility_violations(page, "unsubscribe page")
    page.get_by_role("button", name="Yes, stop these emails").click()
    expect(page.get_by_role("heading", name="You will get no more of these emails")).to_be_visible()
    memory.refresh_from_db()
    assert memory.email_updates is False
