"""What a visitor and a contributor meet in their first minutes, measured in a real
browser at 360 x 740 (a small phone) and 1280 x 800: the first screen shows each
page's heading and its first content, the header is compact, browse opens on
pictures with its sort in view, search offers its filters before the results, and
the memory form fits three phone screens before its send button.

Screenshots: tests/browser/artifacts/first-five-*.png.
"""

import pytest
from django.urls import reverse

from tests.factories.objects import CollectionObjectFactory

from .support import PHONE, assert_no_accessibility_violations, screenshot, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LAPTOP = {"width": 1280, "height": 800}
# The page's first content after its heading, by page type.
FIRST_CONTENT = {
    "home": ".hero__actions",
    "browse": ".object-card",
    "search": ".search-hit",
    "object": ".object__images img",
    "story": ".story__standfirst",
    "memory-form": "#id_text",
}


def first_screen_paths(site) -> dict[str, str]:
    return {
        "home": "/",
        "browse": reverse("objects:browse"),
        "search": reverse("search:search") + "?q=red+shoes",
        "object": site["poster"].get_absolute_url(),
        "story": site["story"].url,
        "memory-form": reverse("memories:share") + f"?object={site['poster'].slug}",
    }


def top_and_bottom(page, selector) -> tuple[float, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"], box["y"] + box["height"]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_first_screen_shows_the_heading_and_the_first_content(new_page, site, viewport):
    page = new_page(viewport)
    name = "phone" if viewport is PHONE else "laptop"
    for kind, path in first_screen_paths(site).items():
        visit(page, path)
        screenshot(page, f"first-five-{kind}", name)
        _, heading_bottom = top_and_bottom(page, "h1")
        content_top, _ = top_and_bottom(page, FIRST_CONTENT[kind])
        assert heading_bottom <= viewport["height"], f"{kind}: the heading is below the fold"
        # At least the top 80 px of the first content is on the first screen.
        assert content_top + 80 <= viewport["height"], f"{kind}: content starts at {content_top}"


def test_the_phone_header_is_two_short_lines_and_its_menu_needs_no_script(new_page, site):
    page = new_page(PHONE, java_script_enabled=False)
    visit(page, "/")
    _, header_bottom = top_and_bottom(page, ".site-header")
    search_top, search_bottom = top_and_bottom(page, "#site-search")
    button_top, _ = top_and_bottom(page, ".search-box button")
    nav = page.get_by_role("navigation", name="Main")

    assert header_bottom <= 130, header_bottom
    assert abs(search_top - button_top) < 2, "the search box is one line"
    assert not nav.is_visible()

    page.get_by_text("Menu", exact=True).click()
    screenshot(page, "first-five-menu-open", "phone")
    nav.get_by_role("link", name="Stories").click()
    page.wait_for_url("**/stories/")
    assert page.get_by_role("heading", level=1).is_visible()


def test_the_laptop_header_shows_every_link_without_a_menu_button(new_page, site):
    page = new_page(LAPTOP)
    visit(page, "/")

    assert (
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Browse").is_visible()
    )
    assert not page.get_by_text("Menu", exact=True).is_visible()
    _, header_bottom = top_and_bottom(page, ".site-header")
    assert header_bottom <= 90, "name, links and search in one band"


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_home_pages_two_buttons_never_touch(new_page, site, viewport):
    page = new_page(viewport)
    visit(page, "/")
    boxes = [link.bounding_box() for link in page.locator(".hero__actions a").all()]

    first, second = boxes
    apart_vertically = second["y"] >= first["y"] + first["height"] + 8
    apart_horizontally = second["x"] >= first["x"] + first["width"] + 8
    assert apart_vertically or apart_horizontally, boxes


def test_browse_opens_on_pictures_with_its_sort_in_view(new_page, site):
    CollectionObjectFactory(title="Aardvark costume", date_earliest=1950)  # older, no image
    page = new_page(PHONE)
    visit(page, reverse("objects:browse"))
    cards = page.locator(".object-card")
    sort_top, sort_bottom = top_and_bottom(page, "#id_sort")

    assert cards.first.locator("picture").count() == 1, "an object with an image comes first"
    assert sort_bottom <= PHONE["height"], "the sort is on the first screen"
    assert page.get_by_text("Objects with images first.").is_visible()
    placeholder = page.locator(".object-card__placeholder").first.inner_text()
    assert placeholder.lower().startswith("poster"), "the type and date of the object"
    assert_no_accessibility_violations(page, "browse")

    page.get_by_role("link", name="Show only objects with images").click()
    page.wait_for_url("**has_image=on*")
    assert page.get_by_text("Only objects with images.").is_visible()
    assert page.get_by_text("Filter (1 in use)").is_visible()
    assert page.locator(".object-card__placeholder").count() == 0
    assert_no_accessibility_violations(page, "browse with images only")


def test_search_offers_its_filters_before_the_results_on_a_phone(new_page, site):
    page = new_page(PHONE)
    visit(page, reverse("search:search") + "?q=red+shoes")
    filter_top, _ = top_and_bottom(page, ".search-filters > summary")
    results_top, _ = top_and_bottom(page, "#results-heading")

    assert filter_top < results_top
    assert not page.get_by_role("navigation", name="Narrow your results").is_visible()
    page.get_by_text("Filter", exact=True).click()
    assert page.get_by_role("navigation", name="Narrow your results").is_visible()
    assert_no_accessibility_violations(page, "search with filters open")

    laptop = new_page(LAPTOP)
    visit(laptop, reverse("search:search") + "?q=red+shoes")
    assert laptop.get_by_role("navigation", name="Narrow your results").is_visible()
    assert not laptop.get_by_text("Filter", exact=True).is_visible()


def test_the_memory_form_is_at_most_three_phone_screens_to_its_send_button(new_page, site):
    page = new_page(PHONE)
    visit(page, reverse("memories:share") + f"?object={site['poster'].slug}")
    _, send_bottom = top_and_bottom(page, "button:has-text('Send my memory')")
    screens = send_bottom / PHONE["height"]
    print(f"memory form: send button ends at {send_bottom:.0f} px, {screens:.2f} phone screens")

    assert screens <= 3
    assert not page.get_by_label("A photo (optional)").is_visible(), "the extras start closed"
    trail = page.get_by_role("navigation", name="Breadcrumb")
    assert trail.get_by_role("link", name="The Red Shoes poster").is_visible()
    assert_no_accessibility_violations(page, "memory form")

    page.get_by_text("More you can add (optional)").click()
    assert page.get_by_label("A photo (optional)").is_visible()
    assert_no_accessibility_violations(page, "memory form with its extras open")


def test_no_console_error_csp_violation_or_failed_request_anywhere_a_visitor_starts(new_page, site):
    """Home, browse, an object with its zoom viewer open, a story, search and the
    memory form: nothing in the console, nothing the policy blocked, no request
    answered with an error (the favicon included)."""
    page = new_page(PHONE)
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    for kind, path in first_screen_paths(site).items():
        visit(page, path)
        if kind == "object":
            page.get_by_role("button", name="Zoom in on the images").click()
            for _ in range(80):  # OpenSeadragon loads, reads the manifest, draws a tile
                status = page.locator("#iiif-viewer").get_attribute("data-iiif-status")
                if status in ("ready", "failed"):
                    break
                page.wait_for_timeout(250)
            assert status == "ready"
            screenshot(page, "first-five-zoom-viewer", "phone")
            visit_problems = page.problems + page.evaluate("window.__cspViolations")
            assert visit_problems == [], visit_problems

    assert failed == []
