"""Reads: the Impact area's figures for a period, and the public numbers.

Every figure is a `Table`: the admin draws its chart from it, shows it beside the
chart and exports it as CSV, so the three always agree. Visits, search terms and
reuse come from the daily rows (impact.models); memories are read live from the
memories tables; the long tail from ObjectFirstSeen.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Lower, TruncMonth

from memories.models import AgeGroup, ConsentMethod, Memory, MemoryContact, MemoryModerationEvent
from objects.models import CollectionObject
from pages.models import SitePage

from .buffer import TERM_MIN_DAILY
from .models import DailyCount, Metric, ObjectFirstSeen, PageKind, SearchTermDay

# Longer periods are charted by month: a year of daily bars says less.
DAILY_UP_TO_DAYS = 62
REUSE = (Metric.API, Metric.DOWNLOAD, Metric.MANIFEST)
REFERRER_LABELS = {
    "direct": "No referrer (typed, bookmarked or hidden)",
    "internal": "This site",
    "other": "Other (not a domain name)",
}
DEVICES = ("phone", "tablet", "desktop")
# The heading of the privacy notice's section on counting (impact/migrations/0003).
PRIVACY_NOTICE_HEADING = "How we count visits"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def by_month(self) -> bool:
        return self.days > DAILY_UP_TO_DAYS

    def __str__(self):
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"


@dataclass
class Table:
    slug: str
    title: str
    description: str  # what it counts: the chart's description and the table's caption
    columns: list[str]
    rows: list[list]
    chart: str = ""  # "bars" (categories), "columns" (over time) or "" (no chart)
    chart_column: int = 1  # the column the chart draws


@dataclass
class Section:
    title: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    period: Period
    headline: list[tuple[str, str]]  # (figure, value), for the top of the page and funders
    sections: list[Section]

    def table(self, slug: str) -> Table | None:
        return next((t for s in self.sections for t in s.tables if t.slug == slug), None)


def impact_report(*, period: Period) -> Report:
    sections = [
        _visits(period),
        _search(period),
        _memories(period),
        _long_tail(period),
        _reuse(period),
    ]
    report = Report(period, [], sections)
    report.headline = [
        ("Page views", _total(report.table("views-by-day"), 1)),
        ("Visitors a day, added up (approximate)", _total(report.table("views-by-day"), 2)),
        ("Searches that found nothing", _total(report.table("searches"), 1, rows=[1])),
        ("Memories shared", _total(report.table("memories-by-month"), 1)),
        ("Objects seen for the first time", f"{len(report.table('first-seen').rows):,}"),
        ("Share of the archive ever seen online", report.table("long-tail").rows[2][1]),
        ("Open data reuse (API, downloads, IIIF)", _total(report.table("reuse-by-day"), 4)),
    ]
    return report


def impact_public_numbers() -> dict[str, int]:
    """The public "archive in numbers" page: all-time figures, nothing per person."""
    return {
        "objects_online": CollectionObject.objects.filter(live=True).count(),
        "objects_seen": ObjectFirstSeen.objects.filter(object__live=True).count(),
        "memories_shared": Memory.objects.filter(status=Memory.Status.APPROVED).count(),
        "downloads": DailyCount.objects.filter(metric=Metric.DOWNLOAD).aggregate(n=Sum("count"))[
            "n"
        ]
        or 0,
    }


def privacy_notice_describes_counting() -> bool:
    """Does the published privacy notice have the section on counting?"""
    return SitePage.objects.live().filter(body__contains=PRIVACY_NOTICE_HEADING).exists()


# --- Visits -------------------------------------------------------------------------


def _visits(period: Period) -> Section:
    unit = "Month" if period.by_month else "Day"
    views = _by_bucket(period, Metric.VIEWS)
    visitors = _by_bucket(period, Metric.VISITORS)
    by_kind = _by_key(period, Metric.VIEWS)
    by_device = _by_key(period, Metric.DEVICE)
    referrers = sorted(_by_key(period, Metric.REFERRER).items(), key=lambda item: -item[1])
    return Section(
        "Visits",
        [
            Table(
                "views-by-day",
                f"Page views by {unit.lower()}",
                "Pages viewed on the site by people (not crawlers, not visitors asking not "
                "to be tracked), by " + unit.lower() + ".",
                [unit, "Page views", "Visitors (approximate, counted each day)"],
                [
                    [label, views.get(key, 0), visitors.get(key, 0)]
                    for key, label in _buckets(period)
                ],
                chart="columns",
            ),
            Table(
                "views-by-kind",
                "Page views by kind of page",
                "Which parts of the site were viewed.",
                ["Kind of page", "Page views"],
                [[label, by_kind.get(kind, 0)] for kind, label in PageKind.choices],
                chart="bars",
            ),
            Table(
                "views-by-device",
                "Page views by device",
                "The kind of device pages were viewed on, read from the browser's description.",
                ["Device", "Page views"],
                [[device.capitalize(), by_device.get(device, 0)] for device in DEVICES],
                chart="bars",
            ),
            Table(
                "referrers",
                "Where visitors came from",
                "The website (its domain only) a page was reached from.",
                ["Referrer", "Page views"],
                [[REFERRER_LABELS.get(key, key), n] for key, n in referrers],
                chart="bars",
            ),
        ],
        notes=[
            "Visitors are estimated each day from a hash that changes daily and cannot be "
            "traced back: a person visiting on three days counts three times."
        ],
    )


# --- Search -------------------------------------------------------------------------


def _search(period: Period) -> Section:
    searches = _by_key(period, Metric.SEARCHES)
    terms = (
        SearchTermDay.objects.filter(day__range=(period.start, period.end))
        .values("term")
        .annotate(
            searches=Sum("count"), nothing=Sum("count", filter=Q(zero_results=True), default=0)
        )
        # Searches that found nothing first: what the public looks for and we lack.
        .order_by("-nothing", "-searches", "term")
    )
    return Section(
        "Search",
        [
            Table(
                "searches",
                "Searches",
                "Searches made on the site (their first page of results), and how many "
                "found nothing.",
                ["Result", "Searches"],
                [
                    ["Found something", searches.get("found", 0)],
                    ["Found nothing", searches.get("nothing", 0)],
                ],
                chart="bars",
            ),
            Table(
                "search-terms",
                "Search terms",
                f"Terms searched at least {TERM_MIN_DAILY} times on a day (rarer ones are "
                "never kept), lowercased; those that found nothing first: a to-do list for "
                "collecting and cataloguing.",
                ["Search term", "Searches", "Searches that found nothing"],
                [[t["term"], t["searches"], t["nothing"]] for t in terms],
            ),
        ],
    )


# --- What the public gives back -----------------------------------------------------


def _memories(period: Period) -> Section:
    memories = Memory.objects.filter(submitted_at__date__range=(period.start, period.end))
    by_month = {
        month.date(): n
        for month, n in _grouped(memories.annotate(month=TruncMonth("submitted_at")), "month")
    }
    routes = dict(_grouped(memories, "consent_method"))
    decades: dict[int | None, int] = {}
    for year, n in _grouped(memories, "year"):
        decade = year // 10 * 10 if year else None
        decades[decade] = decades.get(decade, 0) + n
    statuses = dict(_grouped(memories, "status"))
    shared = sum(statuses.values())
    approved = statuses.get(Memory.Status.APPROVED, 0)
    decided = approved + statuses.get(Memory.Status.REJECTED, 0)
    under_13 = memories.filter(age_group=AgeGroup.UNDER_13).count()
    return Section(
        "What the public gives back",
        [
            Table(
                "memories-by-month",
                "Memories shared by month",
                "Memories sent in, online or gathered in person, by the month they arrived.",
                ["Month", "Memories"],
                [[f"{month:%b %Y}", by_month.get(month, 0)] for month in _months(period)],
                chart="columns",
            ),
            Table(
                "memories-by-route",
                "How memories were shared",
                "Through the online form, or in person on a paper form entered by staff.",
                ["Route", "Memories"],
                [[label, routes.get(value, 0)] for value, label in ConsentMethod.choices],
                chart="bars",
            ),
            Table(
                "memories-by-decade",
                "Memories by the decade remembered",
                "When what they remember happened, where the contributor said.",
                ["Decade", "Memories"],
                [
                    [f"{decade}s" if decade else "Not given", n]
                    for decade, n in sorted(decades.items(), key=lambda d: d[0] or 9999)
                ],
                chart="bars",
            ),
            Table(
                "memories-summary",
                "Memories in figures",
                "Moderation and contributors, for the memories shared in the period.",
                ["Figure", "Value"],
                [
                    ["Memories shared", f"{shared:,}"],
                    ["Published", f"{approved:,}"],
                    ["Rejected", f"{statuses.get(Memory.Status.REJECTED, 0):,}"],
                    ["Waiting for review", f"{statuses.get(Memory.Status.PENDING, 0):,}"],
                    ["Approval rate (of those decided)", _share(approved, decided)],
                    ["Median time to a decision", _median_time_to_decision(memories)],
                    ["Shared by contributors under 13", _share(under_13, shared)],
                    ["Contributors who came back", f"{_returning_contributors(memories):,}"],
                ],
            ),
        ],
        notes=[
            "Contributors who came back: people who shared in this period and have shared "
            "more than one memory, matched by email address inside the database. Only the "
            "number leaves it."
        ],
    )


def _median_time_to_decision(memories) -> str:
    approved = memories.filter(
        status=Memory.Status.APPROVED, approved_at__isnull=False
    ).values_list("submitted_at", "approved_at")
    rejected = (
        MemoryModerationEvent.objects.filter(
            memory__in=memories.filter(status=Memory.Status.REJECTED),
            action=MemoryModerationEvent.Action.REJECTED,
        )
        .values("memory_id", "memory__submitted_at")
        .annotate(decided=Min("created_at"))
        .values_list("memory__submitted_at", "decided")
    )
    waits = [(decided - submitted).total_seconds() for submitted, decided in [*approved, *rejected]]
    if not waits:
        return "–"
    hours = statistics.median(waits) / 3600
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"


def _returning_contributors(memories) -> int:
    """How many people who shared in the period have shared more than once (same
    email, any case). The addresses are compared inside one query; only a count
    comes back."""
    contacts = MemoryContact.objects.exclude(email="").annotate(address=Lower("email"))
    repeated = contacts.values("address").annotate(n=Count("id")).filter(n__gt=1).values("address")
    return (
        contacts.filter(memory__in=memories, address__in=repeated)
        .values("address")
        .distinct()
        .count()
    )


# --- The long tail ------------------------------------------------------------------


def _long_tail(period: Period) -> Section:
    online = CollectionObject.objects.filter(live=True).count()
    seen = ObjectFirstSeen.objects.filter(object__live=True)
    first_seen = seen.filter(first_seen__range=(period.start, period.end)).order_by(
        "first_seen", "object__title"
    )
    return Section(
        "The long tail",
        [
            Table(
                "long-tail",
                "How much of the archive is seen",
                "Published objects whose page has been viewed at least once, ever.",
                ["Figure", "Value"],
                [
                    ["Objects online", f"{online:,}"],
                    ["Seen online at least once", f"{seen.count():,}"],
                    ["Share of the archive seen", _share(seen.count(), online)],
                    ["Seen for the first time in this period", f"{first_seen.count():,}"],
                ],
            ),
            Table(
                "first-seen",
                "Objects seen for the first time",
                "Objects whose page was viewed for the first time in this period.",
                ["Accession number", "Title", "First seen"],
                [
                    [accession, title, day.isoformat()]
                    for accession, title, day in first_seen.values_list(
                        "object__accession_number", "object__title", "first_seen"
                    )
                ],
            ),
        ],
    )


# --- Reuse --------------------------------------------------------------------------


def _reuse(period: Period) -> Section:
    unit = "Month" if period.by_month else "Day"
    by_day = {metric: _by_bucket(period, metric) for metric in REUSE}
    sources: dict[str, dict[str, int]] = {}
    reuse = DailyCount.objects.filter(metric__in=REUSE, day__range=(period.start, period.end))
    for metric, key, n in reuse.values_list("metric", "key").annotate(n=Sum("count")):
        sources.setdefault(key, {})[metric] = n
    by_source = sorted(sources.items(), key=lambda item: -sum(item[1].values()))
    columns = ["API requests", "Downloads", "IIIF manifests", "Total"]
    return Section(
        "Reuse of the open data",
        [
            Table(
                "reuse-by-day",
                f"Reuse by {unit.lower()}",
                "Requests to the API, bulk download files and IIIF manifests fetched.",
                [unit, *columns],
                [
                    _reuse_row(label, [by_day[metric].get(key, 0) for metric in REUSE])
                    for key, label in _buckets(period)
                ],
                chart="columns",
                chart_column=4,
            ),
            Table(
                "reuse-by-source",
                "Who reuses the data",
                "By the website a request came from, or the software that made it "
                "(its name only, counted in aggregate).",
                ["Source", *columns],
                [
                    _reuse_row(_source_label(key), [counts.get(metric, 0) for metric in REUSE])
                    for key, counts in by_source
                ],
                chart="bars",
                chart_column=4,
            ),
        ],
    )


def _reuse_row(label: str, counts: list[int]) -> list:
    return [label, *counts, sum(counts)]


def _source_label(key: str) -> str:
    kind, _, name = key.partition(":")
    if kind == "client":
        return f"{name} (software)"
    return REFERRER_LABELS.get(name, name)


# --- Helpers ------------------------------------------------------------------------


def _grouped(queryset, name: str) -> list[tuple]:
    """(value, count) for each value of `name` (no ordering: it would split the groups)."""
    return list(queryset.order_by().values_list(name).annotate(n=Count("id")))


def _total(table: Table, column: int, *, rows: list[int] | None = None) -> str:
    chosen = table.rows if rows is None else [table.rows[n] for n in rows]
    return f"{sum(row[column] for row in chosen):,}"


def _counts(period: Period, metric: str):
    return DailyCount.objects.filter(metric=metric, day__range=(period.start, period.end))


def _by_key(period: Period, metric: str) -> dict[str, int]:
    return dict(_counts(period, metric).values_list("key").annotate(n=Sum("count")))


def _by_bucket(period: Period, metric: str) -> dict[datetime.date, int]:
    totals: dict[datetime.date, int] = {}
    for day, n in _counts(period, metric).values_list("day").annotate(n=Sum("count")):
        key = day.replace(day=1) if period.by_month else day
        totals[key] = totals.get(key, 0) + n
    return totals


def _buckets(period: Period) -> list[tuple[datetime.date, str]]:
    if period.by_month:
        return [(month, f"{month:%b %Y}") for month in _months(period)]
    days = (period.start + datetime.timedelta(days=n) for n in range(period.days))
    return [(day, f"{day:%-d %b}") for day in days]


def _months(period: Period) -> list[datetime.date]:
    month, months = period.start.replace(day=1), []
    while month <= period.end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _share(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,} ({part / whole:.0%})" if whole else "–"
