"""The whole public site in a real browser (issue 13): keyboard and phone journeys, no
console errors or CSP violations, axe on every page type, the page-weight budget, no
cookies while browsing, and screenshots at phone and desktop widths.

Screenshots are written to tests/browser/artifacts/ (git-ignored; CI keeps them).
"""

import gzip

import pytest
from django.urls import reverse

from .support import DESKTOP, PHONE, assert_no_accessibility_violations, screenshot, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUDGET_BYTES = 100 * 1024
BUDGET_REQUESTS = 10


def page_types(site) -> dict[str, str]:
    return {
        "home": "/",
        "browse": reverse("objects:browse"),
        "browse-filtered": reverse("objects:browse") + "?decade=2000",
        "object": site["poster"].get_absolute_url(),
        "maker": site["maker"].get_absolute_url(),
        "production": site["production"].get_absolute_url(),
        "search": reverse("search:search") + "?q=red+shoes",
        "search-no-results": reverse("search:search") + "?q=zzqxjv",
        "story": site["story"].url,
        "stories": site["story"].get_parent().url,
        "about": "/about/",
        "contact": "/contact/",
        "privacy": "/privacy/",
        "accessibility": "/accessibility/",
        "memory-form": reverse("memories:share"),
        "not-found": "/no-such-page/",
        "forbidden": "/_error/403/",
        "too-many-requests": "/_error/429/",
        "server-error": "/_error/500/",
    }


def test_every_page_type_is_accessible_error_free_and_photographed(new_page, site):
    statuses = {"not-found": 404, "forbidden": 403, "too-many-requests": 429, "server-error": 500}
    phone, desktop = new_page(PHONE), new_page(DESKTOP)
    for name, path in page_types(site).items():
        visit(phone, path, statuses.get(name, 200))
        assert_no_accessibility_violations(phone, name)
        fits = phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, f"{name} scrolls sideways at 360 px"
        screenshot(phone, name, "phone")

        visit(desktop, path, statuses.get(name, 200))
        screenshot(desktop, name, "desktop")


def test_keyboard_only_journey_from_home_through_a_misspelt_search_to_sharing_an_object(
    new_page, site
):
    page = new_page(DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit(page, "/")

    tab_to(page, "document.activeElement.id === 'site-search'")
    page.keyboard.type("red shoos")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=red+shoos*")
    assert page.get_by_text("red shoes", exact=False).count() >= 1

    tab_to(page, "document.activeElement.textContent.trim() === 'The Red Shoes poster'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{site['poster'].get_absolute_url()}")
    visit(page, page.url)

    tab_to(page, "document.activeElement.textContent.trim() === 'Copy link'")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Link copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(site["poster"].get_absolute_url())


def tab_to(page, condition, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(condition):
            return
    raise AssertionError(f"Tab never reached: {condition}")


def test_phone_journey_at_360_pixels(new_page, site):
    page = new_page(PHONE, has_touch=True, is_mobile=True)
    visit(page, "/")
    page.get_by_text("Menu", exact=True).tap()  # a phone's header keeps its links behind it
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Browse").tap()
    page.get_by_text("Filter", exact=True).tap()  # on a phone the filters wait behind it
    page.get_by_label("Decade").select_option("2000")
    page.get_by_role("button", name="Show objects").tap()
    page.get_by_role("link", name="The Red Shoes poster").tap()
    assert page.get_by_role("heading", level=1).inner_text() == "The Red Shoes poster"
    assert page.evaluate("document.documentElement.scrollWidth <= 360")
    page.get_by_role("navigation", name="About this site").get_by_role(
        "link", name="Privacy notice"
    ).tap()
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy notice"
    assert page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Home")


def test_story_cards_on_an_object_page_are_styled_as_on_the_home_page(new_page, site):
    page = new_page(PHONE)
    styles = {}
    for path in ("/", site["poster"].get_absolute_url()):
        visit(page, path)
        styles[path] = page.locator(".story-grid").first.evaluate(
            "grid => [getComputedStyle(grid).display, getComputedStyle(grid).listStyleType]"
        )

    assert set(map(tuple, styles.values())) == {("grid", "none")}


def test_browsing_and_searching_set_no_cookies(new_page, site):
    page = new_page(PHONE)
    for name, path in page_types(site).items():
        if name not in ("memory-form",):  # a form that is sent needs its CSRF cookie
            page.goto(path)
    page.goto(reverse("search:search"))
    page.locator("#site-search").fill("poster")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=poster*")

    assert page.context.cookies() == []


@pytest.mark.parametrize("name", ["home", "browse", "object", "search", "story"])
def test_page_weight_budget(new_page, site, name):
    page = new_page(PHONE)
    weights = []

    def measure(response):
        kind = response.request.resource_type
        # Images by what they are: the browser fetches the site's icon as "other".
        is_image = response.headers.get("content-type", "").startswith("image/")
        if kind in ("image", "media") or is_image or response.url.startswith("data:"):
            return
        body = response.body() if response.status < 300 else b""
        compressed = response.headers.get("content-encoding") in ("gzip", "br")
        weights.append((response.url, kind, len(body if compressed else gzip.compress(body))))

    page.on("response", measure)
    visit(page, page_types(site)[name])
    page.wait_for_load_state("networkidle")

    total = sum(size for _, _, size in weights)
    assert len(weights) < BUDGET_REQUESTS, "\n".join(url for url, _, _ in weights)
    assert total < BUDGET_BYTES, f"{name}: {total} bytes compressed: {weights}"


def test_the_site_works_without_javascript(new_page, site):
    page = new_page(PHONE, java_script_enabled=False)
    visit(page, reverse("objects:browse"))
    page.get_by_text("Filter", exact=True).click()  # a <details>: no script needed
    page.get_by_label("Decade").select_option("2000")
    page.get_by_role("button", name="Show objects").click()
    page.get_by_role("link", name="The Red Shoes poster").click()

    share = page.get_by_label("Link to this page")
    assert share.input_value().endswith(site["poster"].get_absolute_url())
    assert page.get_by_role("button", name="Copy link").count() == 0, "hidden without JS"

    page.locator("#site-search").fill("red shoes")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url("**/search/?q=red+shoes*")
    page.get_by_role("link", name="The Red Shoes poster").first.wait_for()


def test_the_admin_works_under_its_own_policy(new_page, site, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password")
    page = new_page(DESKTOP)
    visit(page, "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    visit(page, "/admin/")
    about = site["story"].get_parent().get_parent().get_children().get(slug="about")
    visit(page, f"/admin/pages/{about.pk}/edit/")
    assert page.locator("input#id_title").count() == 1  # the edit form itself loaded
    page.wait_for_load_state("networkidle")
    problems = page.problems + page.evaluate("window.__cspViolations")
    assert problems == []
