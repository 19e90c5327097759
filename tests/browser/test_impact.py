"""The Impact area, its printable report and the public numbers page in Chromium:
axe (WCAG 2.2 AA) finds nothing, the charts break no Content-Security-Policy, and the
report prints on one A4 page."""

import datetime
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.utils import timezone

from impact.models import DailyCount, Metric, ObjectFirstSeen, PageKind, SearchTermDay
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).parent / "artifacts"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def figures(db):
    """A year of counts, with every figure of the Impact area populated."""
    today = timezone.localdate()
    rows = []
    for age in range(365):
        day = today - datetime.timedelta(days=age)
        n = 40 + (age * 7) % 60
        rows += [DailyCount(day=day, metric=Metric.VIEWS, key=kind, count=n // (i + 1))
                 for i, kind in enumerate(PageKind.values)]  # fmt: skip
        rows += [
            DailyCount(day=day, metric=Metric.DEVICE, key="phone", count=n),
            DailyCount(day=day, metric=Metric.VISITORS, key="", count=n // 3),
            DailyCount(day=day, metric=Metric.REFERRER, key="schools.example.org", count=n // 4),
            DailyCount(day=day, metric=Metric.SEARCHES, key="nothing", count=3),
            DailyCount(day=day, metric=Metric.API, key="client:python-requests", count=n * 2),
            DailyCount(day=day, metric=Metric.MANIFEST, key="web:iiif.example.net", count=5),
        ]
    DailyCount.objects.bulk_create(rows)
    SearchTermDay.objects.create(day=today, term="zanzibar costume", zero_results=True, count=5)
    SearchTermDay.objects.create(day=today, term="red shoes", zero_results=False, count=12)
    for year in (1985, 1998, 2004):
        MemoryFactory(year=year)
    for obj in CollectionObjectFactory.create_batch(3):
        ObjectFirstSeen.objects.create(object=obj, first_seen=today)


def open_page(browser, live_server, viewport=DESKTOP):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    # Failed requests by their address (the console says only that one failed).
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status} {r.url}"))
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.text.startswith("Failed to load resource")
            and page.problems.append(m.text)
        ),
    )
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    return page


def check(page, path, screenshot=""):
    assert page.goto(path).status == 200, path
    page.wait_for_load_state("networkidle")
    problems = page.problems + page.evaluate("window.__cspViolations")
    assert problems == [], f"{path}: {problems}"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, f"{path}: {results.generate_report()}"
    if screenshot:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{screenshot}.png", full_page=True)


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF, from its page tree: each page object is "/Type /Page" (the
    tree's own nodes are "/Type /Pages"). pypdf is not a dependency here."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_the_impact_area_and_its_report_are_accessible_and_print_on_one_page(
    browser, live_server, figures, django_user_model
):
    viewer = django_user_model.objects.create_user("liaison", password="a-long-password")
    viewer.groups.add(Group.objects.get(name="Impact viewers"))
    page = open_page(browser, live_server)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("liaison")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")

    for period in ("7", "30", "365"):
        check(page, f"/admin/impact/?period={period}", f"impact-{period}-days")
        assert page.locator("svg[role=img]").count() == 10
        check(page, f"/admin/impact/report/?period={period}", f"impact-report-{period}-days")
        page.emulate_media(media="print")
        assert pdf_pages(page.pdf(format="A4", print_background=True)) == 1, period
        page.emulate_media(media="screen")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_the_archive_in_numbers_is_accessible(browser, live_server, figures, viewport):
    check(open_page(browser, live_server, viewport), "/numbers/", f"numbers-{viewport['width']}")
