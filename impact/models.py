"""What the impact figures are made of: daily totals, and nothing finer.

Page views, reuse and visitors are counted in Redis as they happen (impact.counting)
and moved here by a beat task (impact.services.impact_flush). A row is a day and a
number; none names or describes a visitor, and rows are kept indefinitely.
Memories' figures are read live from the memories tables (impact.selectors).
"""

from django.db import models


class Metric(models.TextChoices):
    """What a DailyCount counts, and what its `key` is."""

    VIEWS = "views", "Page views"  # key: the kind of page (PageKind)
    DEVICE = "device", "Page views by device"  # key: phone, tablet or desktop
    REFERRER = "referrer", "Page views by referrer"  # key: a domain, "internal" or "direct"
    VISITORS = "visitors", "Visitors (approximate)"  # key: ""
    SEARCHES = "searches", "Searches"  # key: "found" or "nothing"
    API = "api", "API requests"  # key: a source (reuse_source)
    DOWNLOAD = "download", "Open data downloads"  # key: a source
    MANIFEST = "manifest", "IIIF manifest fetches"  # key: a source


class PageKind(models.TextChoices):
    OBJECT = "object", "Object"
    STORY = "story", "Story"
    MEMORY = "memory", "Memory"
    SEARCH = "search", "Search"
    OPEN_DATA = "open-data", "Open data page"
    OTHER = "other", "Other"


class DailyCount(models.Model):
    day = models.DateField()
    metric = models.CharField(max_length=16, choices=Metric.choices)
    key = models.CharField(max_length=120, blank=True)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "metric", "key"], name="one_count_per_day")
        ]
        indexes = [models.Index(fields=["metric", "day"], name="count_metric_day")]
        # The Impact area's one permission (docs/roles.md); rows are written only by
        # the flush, so nobody needs add, change or delete.
        default_permissions = ()
        permissions = [("view_impact", "Can see the Impact area")]

    def __str__(self):
        return f"{self.day} {self.metric} {self.key or '-'}: {self.count}"


class SearchTermDay(models.Model):
    """A search term on a day, only once it was searched at least
    impact.buffer.TERM_MIN_DAILY times that day: rarer terms never reach the database."""

    day = models.DateField()
    term = models.CharField(max_length=100)
    zero_results = models.BooleanField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "term", "zero_results"], name="one_term_count_per_day"
            )
        ]
        default_permissions = ()

    def __str__(self):
        return f"{self.day} {self.term!r}: {self.count}"


class ObjectFirstSeen(models.Model):
    """The day an object's page was first counted as viewed. Null when it was seen
    before counting by day began (impact_backfill, from CollectionObject.view_count)."""

    object = models.OneToOneField(
        "objects.CollectionObject",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    first_seen = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"Object {self.object_id} first seen {self.first_seen or 'before counting began'}"
