"""How approved memories appear in the site search (docs/search.md): a third
kind beside objects and stories. Only approved memories are public; a memory
rejected, sent back to review or withdrawn leaves both indexes."""

from django.urls import reverse

from objects.models import CollectionObject, Production
from search.documents import SearchDocument
from search.registry import Facet, IndexedRecord, SearchKind, register

from .models import Memory, Relationship


class MemoryDocument(SearchDocument):
    """Memories need only the common fields."""


@register
class MemoryKind(SearchKind):
    name = "memories"
    label = "Memories"
    hit_label = "Memory"
    model = Memory
    document = MemoryDocument
    facets = [Facet("relationship", "Shared by", choices=lambda: Relationship.choices)]
    dependencies = {CollectionObject: "object", Production: "production"}
    updated_field = "updated_at"
    # Only memories given under CC BY are open data (the API's /memories lists them).
    open_data = False

    def public_queryset(self):
        return (
            Memory.objects.filter(status=Memory.Status.APPROVED)
            .select_related("object", "production")
            .order_by("pk")
        )

    def to_record(self, memory: Memory) -> IndexedRecord:
        subject = memory.subject
        summary = [memory.attribution, memory.when_happened, f"about {subject}" if subject else ""]
        return IndexedRecord(
            pk=memory.pk,
            title=_title(memory),
            url=reverse("memories:detail", args=[memory.public_id]),
            summary=" · ".join(part for part in summary if part),
            names=[memory.display_name] if memory.display_name else [],
            keywords=[str(subject)] if subject else [],
            description=memory.text,
            facets={"relationship": [(memory.relationship, memory.get_relationship_display())]},
            date_earliest=memory.year,
            has_image=memory.photo_id is not None,
        )


def _title(memory: Memory) -> str:
    words = memory.text.split()
    excerpt = " ".join(words[:12])
    return f"“{excerpt}…”" if len(words) > 12 else f"“{excerpt}”"
