"""The database backend's search table.

One row per *published* object, rebuilt by the same sync task that feeds
Elasticsearch (search/services.py). Everything the results page shows is in
the row, so a page of results is one query with no joins. On PostgreSQL the
weighted `search_vector` (GIN-indexed) and the trigram index on
`SearchTerm.term` are created by migration 0001; SQLite matches the folded
text columns instead.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    object = models.OneToOneField(
        "objects.CollectionObject",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    # Shown in results.
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120)
    accession_number = models.CharField(max_length=64)
    object_type = models.CharField(max_length=32)
    date_display = models.CharField(max_length=100, blank=True)
    makers = models.TextField(blank=True)
    production = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    # Subjects, places and materials: matched, not shown.
    keywords = models.TextField(blank=True)
    has_image = models.BooleanField(default=False)
    # Filtered and sorted on.
    decade = models.SmallIntegerField(null=True, blank=True)
    date_earliest = models.SmallIntegerField(null=True, blank=True)
    sort_title = models.CharField(max_length=255)
    production_slug = models.CharField(max_length=100, blank=True)
    # Every facet value of this object ("type|poster", "maker|slug|Label"...),
    # counted for all matches in one query (search/database.py).
    facet_keys = models.JSONField(default=list)
    # Accent-folded lower-case text, matched on SQLite.
    folded_title = models.TextField(blank=True)
    folded_names = models.TextField(blank=True)
    folded_text = models.TextField(blank=True)
    # PostgreSQL only: title/accession (A) > makers/production (B) >
    # subjects/places/materials (C) > description (D).
    search_vector = SearchVectorField(null=True, editable=False)
    # The object's updated_at when indexed, to detect drift.
    source_updated_at = models.DateTimeField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "search entries"
        indexes = [
            models.Index(fields=["date_earliest", "object"], name="search_entry_date"),
            models.Index(fields=["sort_title", "object"], name="search_entry_title"),
            models.Index(fields=["object_type"], name="search_entry_type"),
            models.Index(fields=["decade"], name="search_entry_decade"),
            models.Index(fields=["production_slug"], name="search_entry_production"),
        ]

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """A word from the titles and names in the index: the vocabulary
    "did you mean" corrects misspelt words against."""

    term = models.CharField(max_length=64, primary_key=True)
    document_count = models.PositiveIntegerField(default=1)

    def __str__(self):
        return self.term
