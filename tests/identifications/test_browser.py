"""In a real browser, on a phone (360 px) and a desktop: a visitor suggests who is
in a photograph, a Collection editor accepts it in the admin, and the object page
shows the new fact with its provenance. axe-core finds nothing on the new pages
(the form, its errors, the thank-you and private pages, the Mastodon chooser, the
share section and the object card), and no page breaks the CSP."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from identifications.models import Identification
from tests.browser.support import DESKTOP, PHONE, assert_no_accessibility_violations, visit
from tests.objects.pages_support import object_with_image

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def journey_settings(settings):
    settings.ELASTICSEARCH_URL = ""
    settings.OPENSEARCH_URL = ""
    return settings


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "desktop"])
def test_suggest_accept_and_see_it_on_the_object_page(
    new_page, journey_settings, django_user_model, viewport
):
    photo = object_with_image(title="Cinderella curtain call", is_sample_content=True)
    editor = django_user_model.objects.create_user("cat", "cat@bac.example", "a-long-passphrase")
    editor.groups.add(Group.objects.get(name="Collection editors"))
    page = new_page(viewport=viewport)

    visit(page, photo.get_absolute_url())
    share = page.locator("section.share")
    expect(share.get_by_role("link", name="Bluesky")).to_be_visible()
    assert_no_accessibility_violations(page, "object page with share links")
    page.get_by_role("link", name="Help us identify this object").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Help us identify")
    assert_no_accessibility_violations(page, "identify form")

    # Sent empty: the problems are listed and each field says what to do.
    page.get_by_role("button", name="Send to the archivists").click()
    expect(page.get_by_role("heading", name=re.compile("problems? to fix"))).to_be_visible()
    assert page.get_by_label("Your answer").get_attribute("aria-invalid") == "true"
    assert_no_accessibility_violations(page, "identify form with errors")

    page.get_by_label("A person in it").check()
    page.get_by_label("Your answer").fill("Maggie Thompson")
    page.get_by_label("How do you know").fill("She is my aunt: the Fairy Godmother.")
    page.get_by_label("Your email address").fill("niece@example.org")
    page.get_by_label("I agree to BAC keeping what I sent").check()
    expect(page.locator("input[name=altcha]")).not_to_have_value("", timeout=20_000)
    page.get_by_role("button", name="Send to the archivists").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your help")
    assert_no_accessibility_violations(page, "thank-you page")
    identification = Identification.objects.get()
    assert identification.verified and identification.status == "pending"

    [email] = [m for m in mail.outbox if m.to == ["niece@example.org"]]
    private_link = re.search(r"/identify/yours/\S+/", email.body).group(0)
    visit(page, private_link)
    expect(page.get_by_text("Waiting for review")).to_be_visible()
    assert_no_accessibility_violations(page, "private page")

    # A Collection editor accepts it from the admin's queue, in one click.
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("cat")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("1 suggestion is waiting for review")).to_be_visible()
    page.get_by_text("1 suggestion is waiting for review").click()
    page.get_by_role("link", name="Review").first.click()
    page.get_by_label("Their part").fill("Fairy Godmother")
    page.get_by_role("button", name="Accept into the record").click()
    expect(page.get_by_text("now shows it, with its provenance")).to_be_visible()
    page.context.clear_cookies()  # an anonymous visitor again

    visit(page, photo.get_absolute_url())
    expect(page.get_by_role("link", name="Maggie Thompson").first).to_be_visible()
    expect(
        page.get_by_text(re.compile("identified with help from a member of the public, 20\\d\\d"))
    ).to_be_visible()
    visit(page, private_link)
    expect(page.get_by_text("Accepted into the record")).to_be_visible()


def test_the_phone_share_sheet_mastodon_chooser_and_object_card(new_page, journey_settings):
    photo = object_with_image(title="Cinderella curtain call")
    page = new_page(viewport=PHONE)
    # A phone's share sheet, stood in for: headless Chromium has none.
    page.context.add_init_script(
        "navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };"
    )

    visit(page, photo.get_absolute_url())
    page.get_by_role("button", name="Share…").click()
    shared = page.evaluate("window.__shared")
    assert shared["title"] == "Cinderella curtain call"
    assert shared["url"].endswith(photo.get_absolute_url())
    page.get_by_label("Mastodon: your server").fill("not a server")
    page.get_by_role("button", name="Share on Mastodon").click()
    expect(page.get_by_text("is not a server address")).to_be_visible()
    assert_no_accessibility_violations(page, "Mastodon chooser with an error")
    page.get_by_label("Your Mastodon server").fill("mastodon.social")
    page.get_by_role("button", name="Share on Mastodon").click()
    link = page.get_by_role("link", name="Continue to mastodon.social")
    assert link.get_attribute("href").startswith("https://mastodon.social/share?text=")
    assert_no_accessibility_violations(page, "Mastodon chooser")

    visit(page, f"/embed/objects/{photo.slug}/")
    expect(page.get_by_role("heading", name="Cinderella curtain call")).to_be_visible()
    assert_no_accessibility_violations(page, "object card")
