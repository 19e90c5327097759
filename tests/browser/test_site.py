"""The whole public site in a real browser (issue 13): keyboard and phone journeys, no
console errors or CSP violations, axe on every page type, the page-weight budget, no
cookies while browsing, and screenshots at phone and desktop widths.

Screenshots are written to tests/browser/artifacts/ (git-ignored; CI keeps them).
"""

import gzip
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

from pages.views import too_many_requests
from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    ObjectImageFactory,
    ProductionFactory,
)
from tests.factories.stories import StoryPageFactory, object_block

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).parent / "artifacts"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
BUDGET_BYTES = 100 * 1024
BUDGET_REQUESTS = 10
# Served by the site itself with this status; rendered in the browser by routing.
ERROR_PAGES = {"/_error/403/": 403, "/_error/429/": 429, "/_error/500/": 500}

# Records CSP violations as they happen, before any page script runs.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def site(db):
    maker = MakerFactory(name="Kneehigh Theatre")
    production = ProductionFactory(title="The Red Shoes", company="Kneehigh", date_display="2002")
    poster = CollectionObjectFactory(
        title="The Red Shoes poster",
        production=production,
        makers=[maker],
        date_earliest=2002,
        date_latest=2002,
        date_display="2002",
        description="<p>Poster for Kneehigh's The Red Shoes.</p>",
    )
    ObjectImageFactory(object=poster, alt_text="A red shoe on a black ground")
    for n in range(12):
        CollectionObjectFactory(title=f"Programme {n}", production=production)
    story = StoryPageFactory(
        title="Dancing in the Red Shoes",
        body=[
            {"type": "text", "value": "<p>How Kneehigh came to Battersea.</p>"},
            object_block(poster, caption="The poster"),
        ],
    )
    return {"maker": maker, "production": production, "poster": poster, "story": story}


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


def serve_error_pages(context, live_server):
    """Answer /_error/<status>/ with the site's real 403, 429 and 500 responses (their
    templates and headers), so they load the site's CSS and JS like any other page."""
    request = RequestFactory().get("/somewhere/")
    rendered = {
        403: permission_denied(request, PermissionDenied()),
        429: too_many_requests(request),
        500: server_error(request),
    }
    from django.test import Client

    headers = dict(Client().get("/about/").headers)  # the site's security headers

    def fulfil(route):
        status = ERROR_PAGES[route.request.url.removeprefix(live_server.url)]
        response = rendered[status]
        route.fulfill(
            status=status,
            body=response.content,
            headers={**headers, "Content-Type": response["Content-Type"]},
        )

    context.route(f"{live_server.url}/_error/**", fulfil)


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(viewport=PHONE, **options):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        serve_error_pages(context, live_server)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


def visit(page, path, expected_status=None):
    response = page.goto(path)
    if expected_status is not None:
        assert response.status == expected_status, path
    problems = list(page.problems)
    problems += page.evaluate("window.__cspViolations")
    # The browser reports an error page's own status as a console error; nothing else.
    problems = [p for p in problems if "the server responded with a status of" not in p]
    assert problems == [], f"{path}: {problems}"
    page.problems.clear()
    return response


def assert_no_accessibility_violations(page, name):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def screenshot(page, name, width_name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{width_name}.png", full_page=True)


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
        if kind in ("image", "media") or response.url.startswith("data:"):
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
    assert page.get_by_role("textbox", name="Title*").count() or page.get_by_label("Title")
    page.wait_for_load_state("networkidle")
    problems = page.problems + page.evaluate("window.__cspViolations")
    assert problems == []
