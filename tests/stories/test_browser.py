"""The editorial journey in a real browser, through the real Wagtail admin:
a curator writes a story with three objects and a gallery and submits it, a
publisher approves it, and the public finds it on the home page, in the feed,
on each object's page and in search. axe-core checks the public story pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from django.db import connection
from playwright.sync_api import expect

from stories.models import StoryIndexPage, StoryPage
from tests.objects.pages_support import object_with_image

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a-browser-test-password"


def assert_no_accessibility_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def staff(username, group):
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def choose_object(page, button, title):
    """Open the object chooser from `button`, search for `title` and pick it."""
    button.click()
    modal = page.locator(".modal")
    modal.get_by_label("Title or accession number").fill(title)
    # Wait for the search to narrow the results, so the click lands on the new list.
    expect(modal.locator("a[data-chooser-modal-choice]")).to_have_count(1)
    modal.get_by_role("link", name=re.compile(re.escape(title))).click()
    expect(modal).to_have_count(0)


def insert_block(page, label):
    page.locator("#body-root button[title='Insert a block']").last.click()
    page.get_by_role("option", name=label).click()


def footer_action(page, name):
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name=name, exact=True).click()


def test_a_curator_writes_a_story_a_publisher_approves_it_and_the_public_finds_it(
    browser, live_server, settings
):
    if connection.vendor == "sqlite":
        # The shared in-memory SQLite test database locks tables across the live
        # server's threads; the editor's autosave writes every half second.
        settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    objects = [object_with_image(title=f"Masque poster {n}") for n in range(3)]
    gallery = [object_with_image(title=f"Programme page {n}") for n in range(2)]
    staff("curator", "Curators")
    staff("publisher", "Publishers")

    # The curator writes the story in the admin and submits it for review.
    curator = log_in(browser, live_server, "curator")
    curator.goto(f"/admin/pages/add/stories/storypage/{StoryIndexPage.objects.get().pk}/")
    curator.locator("#id_title").fill("A season in posters")
    curator.locator("#id_standfirst").fill("Three posters and a programme from one summer.")
    for obj in objects:
        insert_block(curator, "Collection object")
        choose_object(
            curator, curator.get_by_role("button", name="Choose an object").last, obj.title
        )
    insert_block(curator, "Object gallery")
    choose_object(
        curator, curator.get_by_role("button", name="Choose an object").last, gallery[0].title
    )
    curator.locator("#body-root [data-streamfield-list-add]").last.click()
    choose_object(
        curator, curator.get_by_role("button", name="Choose an object").last, gallery[1].title
    )
    footer_action(curator, "Submit to Story review")
    curator.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    story = StoryPage.objects.get(title="A season in posters")
    assert not story.live
    curator.context.close()

    # The public cannot see it yet.
    public = browser.new_context(base_url=live_server.url).new_page()
    assert public.goto(story.url).status == 404

    # The publisher finds it on the dashboard and approves it.
    publisher = log_in(browser, live_server, "publisher")
    publisher.get_by_role("link", name="A season in posters").first.click()
    footer_action(publisher, "Approve and Publish")
    publisher.wait_for_load_state()
    story.refresh_from_db()
    assert story.live
    publisher.context.close()

    # The public sees it on the story page, home page, feed, object pages and in search.
    public.goto(story.url)
    assert public.get_by_role("heading", level=1).inner_text() == "A season in posters"
    for obj in [*objects, *gallery]:
        assert public.get_by_role("link", name=obj.title).count() >= 1
    assert_no_accessibility_violations(public)

    public.goto("/")
    public.get_by_role("link", name="A season in posters").first.click()
    public.wait_for_url(re.compile(re.escape(story.url) + "$"))
    public.goto("/")
    assert_no_accessibility_violations(public)

    public.goto("/stories/")
    assert public.get_by_role("link", name="A season in posters").is_visible()
    assert_no_accessibility_violations(public)

    feed = public.request.get("/stories/feed/").text()
    assert "<title>A season in posters</title>" in feed

    for obj in [*objects, *gallery]:
        public.goto(obj.get_absolute_url())
        featured = public.get_by_role("region", name="Featured in")
        assert featured.get_by_role("link", name="A season in posters").is_visible()

    public.goto("/search/?q=season+posters")
    assert public.get_by_role("link", name="A season in posters").is_visible()
