"""Reads for memories. Public reads only ever see approved memories, and never
touch MemoryContact (the email addresses)."""

import uuid

from django.db.models import Q, QuerySet

from images.selectors import picture_renditions_prefetch

from .links import private_token_public_id
from .models import Memory, MemoryWithdrawal

# Enough for a page; the full list lives on /memories/.
ON_PAGE_LIMIT = 50


def memories_public() -> QuerySet[Memory]:
    """Approved memories with what their cards show, in a fixed number of queries."""
    return (
        Memory.objects.filter(status=Memory.Status.APPROVED)
        .select_related("photo", "object", "production")
        .prefetch_related(
            picture_renditions_prefetch(lookup="photo__renditions", usages=("listing",))
        )
        .order_by("-approved_at", "-pk")
    )


def memories_for_object(*, obj) -> list[Memory]:
    return list(memories_public().filter(object=obj)[:ON_PAGE_LIMIT])


def memories_for_production(*, production) -> list[Memory]:
    """Memories of the show itself and of any object from it."""
    return list(
        memories_public().filter(Q(production=production) | Q(object__production=production))[
            :ON_PAGE_LIMIT
        ]
    )


def memories_latest(*, limit: int = 6) -> list[Memory]:
    return list(memories_public()[:limit])


def memory_public_get(*, public_id: uuid.UUID) -> Memory | None:
    return memories_public().filter(public_id=public_id).first()


def memory_pending_count() -> int:
    return Memory.objects.filter(status=Memory.Status.PENDING).count()


class PrivateLink:
    """What a private link points at: a memory, a withdrawn one, or nothing valid."""

    def __init__(self, token: str):
        self.public_id = private_token_public_id(token)
        self.memory: Memory | None = None
        self.withdrawal: MemoryWithdrawal | None = None
        if self.public_id is None:
            return
        self.memory = (
            Memory.objects.select_related(
                "contact", "consent_wording", "photo", "object", "production"
            )
            .prefetch_related(
                picture_renditions_prefetch(lookup="photo__renditions", usages=("listing",))
            )
            .filter(public_id=self.public_id)
            .first()
        )
        if self.memory is None:
            self.withdrawal = MemoryWithdrawal.objects.filter(public_id=self.public_id).first()

    @property
    def tampered(self) -> bool:
        return self.public_id is None
