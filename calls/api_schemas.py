"""Calls for memories in the open data API (/api/v1/calls/) and the bulk
downloads: the question, its dates, what it asks about and how many approved
responses it has. Responses shared under CC BY 4.0 are in /memories (with `call`)."""

from datetime import datetime

from django.urls import reverse
from ninja import Field, Schema


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


class CallOut(Schema):
    id: int
    question: str
    context: str
    opened: datetime | None = Field(description="When it was first published.")
    closes: datetime | None = Field(description="Its closing date; null: open until unpublished.")
    is_open: bool
    objects: list[str] = Field(description="Slugs of the objects it asks about.")
    productions: list[str] = Field(description="Slugs of the productions it asks about.")
    places: list[str] = Field(description="Slugs of the places it asks about.")
    decade: int | None
    response_count: int = Field(description="Approved responses, whatever their licence.")
    is_sample_content: bool
    url: str
    api_url: str

    @staticmethod
    def resolve_question(call):
        return call.title

    @staticmethod
    def resolve_opened(call):
        return call.first_published_at

    @staticmethod
    def resolve_closes(call):
        return call.closes_at

    @staticmethod
    def resolve_is_open(call):
        return call.is_open()

    @staticmethod
    def resolve_objects(call):
        return [obj.slug for obj in call.objects_asked_about.all() if obj.live]

    @staticmethod
    def resolve_productions(call):
        return [production.slug for production in call.productions.all()]

    @staticmethod
    def resolve_places(call):
        return [place.slug for place in call.places.all()]

    @staticmethod
    def resolve_response_count(call):
        return call.response_count

    @staticmethod
    def resolve_url(call, context):
        return _absolute(context, call.url)

    @staticmethod
    def resolve_api_url(call, context):
        return _absolute(context, reverse("api:call_detail", args=[call.pk]))


class CallPage(Schema):
    next: str | None
    results: list[CallOut]


def call_csv_row(record: dict) -> dict:
    return {
        **record,
        "objects": "; ".join(record["objects"]),
        "productions": "; ".join(record["productions"]),
        "places": "; ".join(record["places"]),
    }
