"""How calls for memories appear in the site search (docs/search.md): a kind of
their own, live calls only (open or closed: a closed call keeps its responses)."""

from foundation.view_restrictions import public_pages
from objects.models import CollectionObject, Place, Production
from search.documents import SearchDocument
from search.registry import IndexedRecord, SearchKind, register

from .models import CallPage


class CallDocument(SearchDocument):
    """Calls need only the common fields."""


@register
class CallKind(SearchKind):
    name = "calls"
    label = "Calls for memories"
    hit_label = "Call for memories"
    model = CallPage
    document = CallDocument
    dependencies = {
        CollectionObject: "objects_asked_about",
        Production: "productions",
        Place: "places",
    }
    updated_field = "last_published_at"

    def public_queryset(self):
        return (
            public_pages(CallPage.objects.live())
            .prefetch_related("objects_asked_about", "productions", "places")
            .order_by("pk")
        )

    def to_record(self, call: CallPage) -> IndexedRecord:
        about = [
            *(obj.title for obj in call.objects_asked_about.all() if obj.live),
            *(str(production) for production in call.productions.all()),
            *(place.name for place in call.places.all()),
        ]
        # Nothing that changes by itself with time (open or closed): the index keeps a
        # record until the call is edited, so it states the closing date instead.
        summary = [
            "Call for memories",
            f"closing date {call.closes_at:%-d %B %Y}" if call.closes_at else "",
            call.get_decade_display() if call.decade else "",
        ]
        return IndexedRecord(
            pk=call.pk,
            title=call.title,
            url=call.url,
            summary=" · ".join(part for part in summary if part),
            keywords=about,
            description=call.context,
            date_earliest=call.decade,
            has_image=call.image_id is not None,
        )
