"""What a visitor does, in a real browser: keyboard, phone-sized screen, axe checks."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    ObjectImageFactory,
    ProductionFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def archive():
    maker = MakerFactory(name="Kneehigh Theatre")
    production = ProductionFactory(title="The Red Shoes", company="Kneehigh", date_display="2002")
    poster = CollectionObjectFactory(
        title="The Red Shoes poster",
        production=production,
        makers=[maker],
        date_earliest=2002,
        date_latest=2002,
        date_display="2002",
    )
    ObjectImageFactory(object=poster, alt_text="A red shoe on a black ground")
    CollectionObjectFactory(title="Grand Hall floor tile", object_type="building-fragment")
    return {"maker": maker, "poster": poster}


def assert_no_accessibility_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def test_visitor_browses_filters_opens_an_object_and_follows_its_maker(page, archive):
    page.goto("/")
    page.get_by_text("Menu", exact=True).click()  # a phone's header keeps its links behind it
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Browse").click()
    page.get_by_text("Filter", exact=True).click()  # on a phone the filters wait behind it
    page.get_by_label("Type", exact=True).select_option("poster")
    page.get_by_role("button", name="Show objects").click()

    assert page.get_by_role("link", name="The Red Shoes poster").is_visible()
    assert page.get_by_role("link", name="Grand Hall floor tile").count() == 0

    page.get_by_role("link", name="The Red Shoes poster").click()
    assert page.get_by_role("heading", level=1).inner_text() == "The Red Shoes poster"
    assert page.get_by_role("img", name="A red shoe on a black ground").count() >= 1

    page.get_by_role("link", name="Kneehigh Theatre").first.click()
    assert "Kneehigh Theatre" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("link", name="The Red Shoes poster").is_visible()


def test_keyboard_user_can_skip_straight_to_the_content(page, archive):
    page.goto("/collection/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/collection/", "/search/?q=red+shoes"])
def test_public_pages_have_no_wcag_22_aa_violations(page, archive, path):
    page.goto(path)
    assert_no_accessibility_violations(page)


def test_object_and_maker_pages_have_no_wcag_22_aa_violations(page, archive):
    page.goto(archive["poster"].get_absolute_url())
    assert_no_accessibility_violations(page)

    page.goto(archive["maker"].get_absolute_url())
    assert_no_accessibility_violations(page)
