"""How calls for memories appear in the site search (docs/search.md): a kind of
their own, live calls only (open or closed: a closed call keeps its responses)."""

from objects.models import CollectionObject, Place, Production
from search.documents import SearchDocument
from search.registry import Facet, IndexedRecord, SearchKind, register

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
    facets = [
        Facet("call_status", "Call", choices=lambda: [("open", "Open"), ("closed", "Closed")])
    ]
    dependencies = {
        CollectionObject: "objects_asked_about",
        Production: "productions",
        Place: "places",
    }
    updated_field = "last_published_at"

    def public_queryset(self):
        return (
            CallPage.objects.live()
            .prefetch_related("objects_asked_about", "productions", "places")
            .order_by("pk")
        )

    def to_record(self, call: CallPage) -> IndexedRecord:
        about = [
            *(obj.title for obj in call.objects_asked_about.all() if obj.live),
            *(str(production) for production in call.productions.all()),
            *(place.name for place in call.places.all()),
        ]
        is_open = call.is_open()
        status = "Open" if is_open else "Closed"
        summary = [f"{status} call for memories", call.get_decade_display() if call.decade else ""]
        return IndexedRecord(
            pk=call.pk,
            title=call.title,
            url=call.url,
            summary=" · ".join(part for part in summary if part),
            keywords=about,
            description=call.context,
            facets={"call_status": [("open" if is_open else "closed", status)]},
            date_earliest=call.decade,
            has_image=call.image_id is not None,
        )
