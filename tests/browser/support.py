"""What the browser tests share: viewports, the pages' checks (console errors, CSP
violations, axe) and screenshots. Fixtures are in conftest.py."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied, server_error

from pages.views import too_many_requests

ARTIFACTS = Path(__file__).parent / "artifacts"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# Served by the site itself with this status; rendered in the browser by routing.
ERROR_PAGES = {"/_error/403/": 403, "/_error/429/": 429, "/_error/500/": 500}

# Records CSP violations as they happen, before any page script runs.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def serve_error_pages(context, live_server):
    """Answer /_error/<status>/ with the site's real 403, 429 and 500 responses (their
    templates and headers), so they load the site's CSS and JS like any other page."""
    request = RequestFactory().get("/somewhere/")
    rendered = {
        403: permission_denied(request, PermissionDenied()),
        429: too_many_requests(request),
        500: server_error(request),
    }
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
