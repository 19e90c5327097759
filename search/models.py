"""The database backend's search table.

One row per *public* record of every kind (search/registry.py), rebuilt by
the same sync task that feeds Elasticsearch (search/services.py). Everything
the results page shows is in the row, so a page of results is one query with
no joins. On PostgreSQL the weighted `search_vector` and `filter_keys` share
one GIN index (a search narrowed by a facet intersects both in one index
scan), `SearchTerm.term` has a trigram index (migrations), and
`fuzzystrmatch` computes edit distances for spelling candidates; SQLite
matches the folded text columns instead.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Left, Length


class SearchEntry(models.Model):
    # The kind's name ("objects") and the record's primary key.
    kind = models.CharField(max_length=32)
    record_id = models.BigIntegerField()
    # Shown in results.
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    summary = models.CharField(max_length=500, blank=True)
    identifier = models.CharField(max_length=64, blank=True)
    names = models.TextField(blank=True)
    description = models.TextField(blank=True)
    has_image = models.BooleanField(default=False)
    # Matched, not shown.
    keywords = models.TextField(blank=True)
    # Sorted on.
    date_earliest = models.SmallIntegerField(null=True, blank=True)
    sort_title = models.CharField(max_length=255)
    # Every facet value of this record, "facet|value|Label", counted for all
    # matches in one query (search/backends/database.py), and the same as
    # "facet|value", which facet filters match.
    facet_keys = models.JSONField(default=list)
    filter_keys = models.JSONField(default=list)
    # Accent-folded lower-case text, matched on SQLite.
    folded_title = models.TextField(blank=True)
    folded_names = models.TextField(blank=True)
    folded_text = models.TextField(blank=True)
    # PostgreSQL only: title/identifier (A) > names (B) > keywords (C) >
    # description (D).
    search_vector = SearchVectorField(null=True, editable=False)
    # The record's `updated_field` when indexed, to detect drift.
    source_updated_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="search_entry_record")
        ]
        indexes = [
            models.Index(fields=["date_earliest", "id"], name="search_entry_date"),
            models.Index(fields=["sort_title", "id"], name="search_entry_title"),
        ]

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """A word from the titles and names in the index: the vocabulary
    "did you mean" corrects misspelt words against."""

    term = models.CharField(max_length=64, primary_key=True)
    document_count = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            # Spelling candidates: known words of about the same length
            # starting with the same letter (search/backends/database.py).
            models.Index(Left("term", 1), Length("term"), name="search_term_shape"),
        ]

    def __str__(self):
        return self.term
