"""The whole journey in a real browser, with axe-core on every memory page a
contributor sees: share with a photo, get the link by email, withdraw; a
moderator approves another, which then shows on the object page, the home
page and in search."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from memories.models import Memory
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory
from tests.images.files import jpeg_with_gps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_no_accessibility_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def journey_settings(settings):
    settings.ELASTICSEARCH_URL = ""
    return settings


def test_share_with_a_photo_then_withdraw(page, journey_settings, tmp_path):
    poster = CollectionObjectFactory(title="The Masque poster")
    photo = tmp_path / "shoebox.jpg"
    photo.write_bytes(jpeg_with_gps(800, 600))

    page.goto(poster.get_absolute_url())
    page.get_by_role("link", name="Share your memory of The Masque poster").click()
    assert "Share a memory of" in page.get_by_role("heading", level=1).inner_text()
    assert_no_accessibility_violations(page)

    # Sent empty: every problem listed, each next to its field, focus on the list.
    page.get_by_role("button", name="Send my memory").click()
    assert page.get_by_role("heading", name=re.compile("problems? to fix")).is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_label("Your memory").get_attribute("aria-invalid") == "true"
    assert_no_accessibility_violations(page)

    page.get_by_label("Your memory").fill("We sat on the floor of the Grand Hall, in 1998.")
    page.get_by_label("I was in the audience").check()
    page.get_by_text("More you can add (optional)").click()  # the optional extras, closed at first
    page.get_by_label("A photo (optional)").set_input_files(str(photo))
    page.get_by_label("Describe the photo").fill("Ticket stub on a kitchen table")
    page.get_by_label("Your name as it should appear").fill("Maggie from Clapham")
    page.get_by_label("Your email address").fill("maggie@example.org")
    page.get_by_label("13 or over").check()
    page.get_by_label("Creative Commons Attribution").check()
    page.get_by_label("I agree to BAC publishing my memory").check()
    # The invisible proof of work finishes in the background, under the strict CSP.
    expect(page.locator("input[name=altcha]")).not_to_have_value("", timeout=20_000)
    page.get_by_role("button", name="Send my memory").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your memory"
    assert_no_accessibility_violations(page)
    memory = Memory.objects.get()
    assert memory.photo is not None and memory.status == Memory.Status.PENDING
    assert memory.verified is True

    [email] = [m for m in mail.outbox if m.to == ["maggie@example.org"]]
    link = re.search(r"/memories/yours/\S+/", email.body).group(0)
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Your memory"
    assert_no_accessibility_violations(page)

    page.get_by_role("link", name="Withdraw my memory").click()
    page.get_by_role("button", name="Yes, withdraw and delete it").click()
    assert "has been withdrawn" in page.get_by_role("heading", level=1).inner_text()
    assert not Memory.objects.exists()
    page.goto(poster.get_absolute_url())
    assert page.get_by_text("We sat on the floor").count() == 0


def test_a_moderator_approves_a_memory_and_it_appears_everywhere(
    page,
    journey_settings,
    django_user_model,
):
    poster = CollectionObjectFactory(title="Jerry Springer poster")
    memory = MemoryFactory(
        object=poster,
        status=Memory.Status.PENDING,
        text="The choir sang about a marmalade cat and the whole hall laughed.",
        display_name="Dot",
    )
    user = django_user_model.objects.create_user("vol", "vol@bac.example", "a-long-passphrase")
    user.groups.add(Group.objects.get(name="Moderators"))

    page.goto(poster.get_absolute_url())
    assert page.get_by_text("marmalade cat").count() == 0

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("vol")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("1 memory is waiting for review")).to_be_visible()
    page.get_by_text("1 memory is waiting for review").click()
    expect(page.get_by_text("The choir sang about a marmalade cat")).to_be_visible()
    page.goto(f"/admin/memories/review/{memory.pk}/")
    page.get_by_role("button", name="Approve and publish").click()
    page.context.clear_cookies()  # back to an anonymous visitor (cached pages)

    page.goto(poster.get_absolute_url())
    assert page.get_by_text("marmalade cat").first.is_visible()
    page.goto("/")
    assert page.get_by_role("heading", name="Latest memories").is_visible()
    assert page.get_by_text("marmalade cat").first.is_visible()
    page.goto("/search/?q=marmalade")
    assert page.get_by_role("link", name=re.compile("marmalade")).first.is_visible()
