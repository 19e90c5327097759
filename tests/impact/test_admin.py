"""The Impact area: figures from a known pattern of use, in the page and its CSV
files; who may see it; the period picker; the printable report."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from impact.models import DailyCount, Metric, SearchTermDay
from impact.tasks import flush_impact_counts_task
from memories.models import AgeGroup, ConsentMethod, Memory, MemoryModerationEvent
from tests.factories.memories import MemoryContactFactory, MemoryFactory
from tests.factories.objects import CollectionObjectFactory

from .conftest import PHONE, searchable

pytestmark = pytest.mark.django_db

INDEX = reverse("impact_admin:index")


@pytest.fixture
def impact_viewer(client, django_user_model):
    user = django_user_model.objects.create_user("funder-liaison", password="pw")
    user.groups.add(Group.objects.get(name="Impact viewers"))
    client.force_login(user)
    return client


def table(client, slug, **params) -> list[list[str]]:
    response = client.get(reverse("impact_admin:csv", args=[slug]), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def memory(*, days_ago=0, decided_after_hours=None, **fields):
    """A memory shared `days_ago` days ago (submitted_at is set on creation), approved
    or rejected (by its status) `decided_after_hours` after."""
    email = fields.pop("email", None)
    made = MemoryFactory(contact=None, **fields)
    if email is not None:
        MemoryContactFactory(memory=made, email=email)
    submitted = timezone.now() - datetime.timedelta(days=days_ago)
    Memory.objects.filter(pk=made.pk).update(submitted_at=submitted)
    if decided_after_hours is not None:
        decided = submitted + datetime.timedelta(hours=decided_after_hours)
        if made.status == Memory.Status.APPROVED:
            Memory.objects.filter(pk=made.pk).update(approved_at=decided)
        else:
            rejection = MemoryModerationEvent.objects.create(
                memory=made, action=MemoryModerationEvent.Action.REJECTED
            )
            MemoryModerationEvent.objects.filter(pk=rejection.pk).update(created_at=decided)
    made.refresh_from_db()
    return made


def test_a_known_pattern_of_use_gives_exactly_its_figures(visitor, impact_viewer):
    # N object views (one object seen for the first time), M searches that found nothing,
    # K memories shared.
    poster, programme = CollectionObjectFactory.create_batch(2)
    searchable(poster)
    phone = visitor(PHONE, HTTP_REFERER="https://schools.example.org/lesson")
    for url in [poster.get_absolute_url()] * 3 + [programme.get_absolute_url()] * 2:  # N = 5
        phone.get(url)
    for _ in range(3):  # M = 3
        phone.get(reverse("search:search"), {"q": "Zanzibar"})
    for year in (1985, 1998, 1999, None):  # K = 4
        memory(year=year)
    flush_impact_counts_task.delay()

    page = impact_viewer.get(INDEX, {"period": "7"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "<dt>Page views</dt><dd>8</dd>" in html
    assert "<dt>Searches that found nothing</dt><dd>3</dd>" in html
    assert "<dt>Memories shared</dt><dd>4</dd>" in html
    assert "<dt>Objects seen for the first time</dt><dd>2</dd>" in html
    assert '<th scope="row">Object</th><td>5</td>' in html
    assert table(impact_viewer, "views-by-kind", period="7")[1:] == [
        ["Object", "5"], ["Story", "0"], ["Memory", "0"], ["Search", "3"],
        ["Open data page", "0"], ["Other", "0"],
    ]  # fmt: skip
    assert table(impact_viewer, "views-by-device", period="7")[1:] == [
        ["Phone", "8"], ["Tablet", "0"], ["Desktop", "0"]
    ]  # fmt: skip
    assert table(impact_viewer, "referrers", period="7")[1:] == [["schools.example.org", "8"]]
    assert table(impact_viewer, "search-terms", period="7") == [
        ["Search term", "Searches", "Searches that found nothing"],
        ["zanzibar", "3", "3"],
    ]
    assert table(impact_viewer, "memories-by-decade", period="7")[1:] == [
        ["1980s", "1"], ["1990s", "2"], ["Not given", "1"]
    ]  # fmt: skip
    days = table(impact_viewer, "views-by-day", period="7")
    assert days[0] == ["Day", "Page views", "Visitors (approximate, counted each day)"]
    assert days[-1] == [f"{timezone.localdate():%-d %b}", "8", "1"]
    assert len(days) == 1 + 7


def test_memories_figures_from_the_memories_tables(impact_viewer):
    returning = "keen.contributor@example.org"
    memory(email=returning, days_ago=200)  # before the period: makes the next one a return
    memory(email=returning.upper(), decided_after_hours=2)
    memory(email="first@example.org", age_group=AgeGroup.UNDER_13, decided_after_hours=4)
    memory(email="", consent_method=ConsentMethod.IN_PERSON, decided_after_hours=30)
    memory(status=Memory.Status.PENDING, approved_at=None)
    memory(status=Memory.Status.REJECTED, approved_at=None, decided_after_hours=10)

    summary = dict(table(impact_viewer, "memories-summary", period="30")[1:])
    routes = table(impact_viewer, "memories-by-route", period="30")[1:]

    assert summary == {
        "Memories shared": "5",
        "Published": "3",
        "Rejected": "1",
        "Waiting for review": "1",
        "Approval rate (of those decided)": "3 of 4 (75%)",
        "Median time to a decision": "7.0 hours",  # of 2, 4, 10 and 30 hours
        "Shared by contributors under 13": "1 of 5 (20%)",
        "Contributors who came back": "1",
    }
    assert routes == [["Online form", "4"], ["In person (paper form)", "1"]]
    assert returning not in impact_viewer.get(INDEX).content.decode()


def test_zero_result_terms_come_first_and_no_term_runs_as_a_formula(impact_viewer):
    today = timezone.localdate()
    SearchTermDay.objects.create(day=today, term="red shoes", zero_results=False, count=40)
    SearchTermDay.objects.create(day=today, term="=hyperlink(x)", zero_results=True, count=3)
    SearchTermDay.objects.create(day=today, term="costume", zero_results=True, count=9)

    rows = table(impact_viewer, "search-terms")[1:]

    assert rows == [["costume", "9", "9"], ["'=hyperlink(x)", "3", "3"], ["red shoes", "40", "0"]]


def test_each_figure_is_an_svg_chart_beside_its_table(impact_viewer):
    html = impact_viewer.get(INDEX).content.decode()

    # Ten figures have charts; the three with nothing counted yet have none to draw.
    assert html.count('role="img"') == 7
    assert '<title id="chart-views-by-kind-title">Page views by kind of page</title>' in html
    assert 'aria-labelledby="chart-views-by-kind-title chart-views-by-kind-desc"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert html.count(">Download this table as CSV</a>") == 14


def test_the_period_picker_takes_custom_dates_and_explains_bad_ones(impact_viewer):
    custom = impact_viewer.get(
        INDEX, {"period": "custom", "start": "2026-01-01", "end": "2026-03-31"}
    )
    backwards = impact_viewer.get(
        INDEX, {"period": "custom", "start": "2026-03-31", "end": "2026-01-01"}
    )

    assert "1 Jan 2026 to 31 Mar 2026" in custom.content.decode()
    quarter = {"period": "custom", "start": "2026-01-01", "end": "2026-03-31"}
    assert table(impact_viewer, "views-by-day", **quarter)[1:] == [
        ["Jan 2026", "0", "0"], ["Feb 2026", "0", "0"], ["Mar 2026", "0", "0"]
    ]  # fmt: skip
    assert "The period must start before it ends." in backwards.content.decode()


def test_the_printable_report_has_the_headline_figures_and_four_charts(impact_viewer):
    memory()
    DailyCount.objects.create(
        day=timezone.localdate(), metric=Metric.API, key="client:python-requests", count=120
    )

    html = impact_viewer.get(reverse("impact_admin:report"), {"period": "365"}).content.decode()

    assert "<dt>Memories shared</dt><dd>1</dd>" in html
    assert html.count('role="img"') == 4
    assert "impact/report.css" in html


def test_only_impact_viewers_and_superusers_see_the_impact_area(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    moderator = django_user_model.objects.create_user("moderator", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    viewer = django_user_model.objects.create_user("viewer", password="pw")
    viewer.groups.add(Group.objects.get(name="Impact viewers"))

    assert client.get(INDEX).status_code == 302  # to the sign-in page
    for user, allowed in ((admin, True), (viewer, True), (moderator, False)):
        client.force_login(user)
        urls = [
            INDEX,
            reverse("impact_admin:report"),
            reverse("impact_admin:csv", args=["referrers"]),
        ]
        assert {client.get(url).status_code for url in urls} == ({200} if allowed else {302})
        assert (INDEX in client.get("/admin/").content.decode()) is allowed

    client.force_login(viewer)
    memory_list = client.get("/admin/memories/memory/")
    assert memory_list.status_code in (302, 403)


def test_an_unknown_table_is_a_404(impact_viewer):
    assert impact_viewer.get(reverse("impact_admin:csv", args=["nothing"])).status_code == 404


def test_administrators_can_give_the_impact_area_to_a_group(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)
    group = Group.objects.get(name="Impact viewers")

    page = client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))

    assert page.status_code == 200
    assert "Can see the Impact area" in page.content.decode()
