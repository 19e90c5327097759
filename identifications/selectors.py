"""Reads for identifications. Public reads see only what was accepted, as facts
with a year: never the contributor, their words or their email."""

import json
from dataclasses import dataclass

from django.db.models import Aggregate, CharField, OuterRef, Subquery, TextField
from django.db.models.functions import Cast, ExtractYear, JSONObject

from .links import private_token_public_id
from .models import Identification, Kind

# What the object page says each kind of accepted fact is.
FACT_LABELS = {
    Kind.PERSON: "a person in it",
    Kind.PRODUCTION: "its production",
    Kind.DATE: "its date",
    Kind.PLACE: "a place",
    Kind.CORRECTION: "a correction",
}


class _JSONArrayText(Aggregate):
    """Rows as one JSON array, as text: json_group_array on SQLite, json_agg on
    PostgreSQL (cast to text, read by `provenance_for`)."""

    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, function="JSON_AGG", **extra_context)
        return f"({sql})::text", params


def provenance_annotation() -> Subquery:
    """The object's accepted identifications as one JSON text column, read by the
    object's own query (`objects.selectors.object_get_live`): no query of its own."""
    accepted = (
        Identification.objects.filter(object=OuterRef("pk"), status=Identification.Status.ACCEPTED)
        .order_by()
        .values("object")
        .annotate(
            facts=_JSONArrayText(
                JSONObject(
                    kind="kind",
                    value=Cast("applied_value", CharField()),
                    year=ExtractYear("decided_at"),
                    sample="is_sample_content",
                )
            )
        )
        .values("facts")
    )
    return Subquery(accepted, output_field=TextField())


@dataclass(frozen=True)
class Fact:
    kind: str
    value: str
    year: int
    sample: bool = False

    @property
    def label(self) -> str:
        return FACT_LABELS.get(self.kind, "a detail")


def provenance_for(obj) -> list[Fact]:
    """The facts members of the public helped identify, oldest first. Read from the
    annotation when the object's query made it, else (a preview) with one query."""
    if hasattr(obj, "public_identifications"):
        rows = json.loads(obj.public_identifications or "[]")
    elif obj.pk:
        rows = [
            {"kind": kind, "value": value, "year": decided.year, "sample": sample}
            for kind, value, decided, sample in Identification.objects.filter(
                object=obj, status=Identification.Status.ACCEPTED
            ).values_list("kind", "applied_value", "decided_at", "is_sample_content")
        ]
    else:
        rows = []
    # SQLite's JSON gives booleans as 0 and 1.
    facts = [
        Fact(row["kind"], row["value"], int(row["year"]), bool(row.get("sample"))) for row in rows
    ]
    return sorted(facts, key=lambda fact: (fact.year, fact.kind, fact.value))


def identification_pending_count() -> int:
    return Identification.objects.filter(status=Identification.Status.PENDING).count()


def identification_for_token(token: str) -> Identification | None:
    """What a private link points at, or None for a tampered or deleted one."""
    public_id = private_token_public_id(token)
    if public_id is None:
        return None
    return Identification.objects.select_related("object").filter(public_id=public_id).first()
