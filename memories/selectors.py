"""Reads for memories. Public reads only ever see approved memories, and never
touch MemoryContact (the email addresses)."""

import uuid

from django.db.models import F, Prefetch, Q, QuerySet

from foundation.compiled_queries import compiled_once
from foundation.generational_cache import generational_get_or_set
from foundation.page_cache import MEMORIES, page_cache_generation
from images.renditions import USAGES, Derivative
from images.selectors import picture_renditions_prefetch

from .links import private_token_public_id
from .models import PHOTO_COLLECTION, Memory, MemoryReply, MemoryWithdrawal

# Enough for a page; the full list lives on /memories/.
ON_PAGE_LIMIT = 50
# The ids of objects with approved memories: kept until any memory changes (its
# `memories` generation keys them), and at most this long.
OBJECTS_WITH_MEMORIES_KEY = "memories:object-ids:{generation}"
OBJECTS_WITH_MEMORIES_SECONDS = 600
# The contributor's own view of their photo, on their private page whatever the
# memory's status (the public media view shows a memory photo only once approved).
PRIVATE_PHOTO_SPEC = Derivative("listing", *USAGES["listing"].box(640), "jpeg").filter_spec


def replies_public_prefetch() -> Prefetch:
    """A memory's published replies with their signatures (`memory.public_replies`):
    one query for any number of memories."""
    return Prefetch(
        "replies",
        queryset=MemoryReply.objects.filter(live=True).select_related("author"),
        to_attr="live_replies",
    )


def memories_public() -> QuerySet[Memory]:
    """Approved memories with what their cards show (photo, replies), in a fixed
    number of queries."""
    return (
        Memory.objects.filter(status=Memory.Status.APPROVED)
        .select_related("photo", "object", "production", "call")
        .prefetch_related(
            picture_renditions_prefetch(lookup="photo__renditions", usages=("listing",)),
            replies_public_prefetch(),
        )
        .order_by("-approved_at", "-pk")
    )


def memories_for_call(*, call) -> QuerySet[Memory]:
    """A call's approved responses, featured ones first."""
    return (
        memories_public()
        .filter(call=call)
        .order_by(F("featured_at").desc(nulls_last=True), "-approved_at", "-pk")
    )


def objects_with_memories() -> frozenset[int]:
    """Ids of the objects with an approved memory: one query for the whole site, kept
    until a memory changes, so the object pages of the rest (nearly all of them) ask
    nothing about memories. While the cache is unreliable it is read every time."""
    generation = page_cache_generation(MEMORIES)

    def compute() -> frozenset[int]:
        approved = Memory.objects.filter(status=Memory.Status.APPROVED, object__isnull=False)
        return frozenset(approved.values_list("object_id", flat=True).distinct())

    if not generation:
        return compute()
    key = OBJECTS_WITH_MEMORIES_KEY.format(generation=generation)
    return generational_get_or_set(generation, key, compute, OBJECTS_WITH_MEMORIES_SECONDS)


def memories_for_object(*, obj) -> list[Memory]:
    if obj.pk not in objects_with_memories():
        return []
    return list(memories_public().filter(object=obj)[:ON_PAGE_LIMIT])


def memories_for_production(*, production) -> list[Memory]:
    """Memories of the show itself and of any object from it."""
    return list(
        memories_public().filter(Q(production=production) | Q(object__production=production))[
            :ON_PAGE_LIMIT
        ]
    )


def memories_latest(*, limit: int = 6) -> list[Memory]:
    """The newest approved memories (home's), their query compiled once per process."""
    return list(compiled_once(("memories:latest", limit), lambda: memories_public()[:limit]))


def memory_public_get(*, public_id: uuid.UUID) -> Memory | None:
    return memories_public().filter(public_id=public_id).first()


def is_memory_photo(image) -> bool:
    """A photo shared with a memory (filed in the memories' collection), public only
    while its memory is approved. Staff-chosen archive images filed elsewhere are not."""
    return image.collection.name == PHOTO_COLLECTION


def tiles_held_for_memory_photo(image) -> str:
    """A hold of images.deep_zoom.TILE_HOLDS, registered by MemoriesConfig.ready():
    contributors' photos are never offered to IIIF clients."""
    return "memory photo" if is_memory_photo(image) else ""


def memory_photo_is_public(*, image_id: int) -> bool:
    return Memory.objects.filter(photo_id=image_id, status=Memory.Status.APPROVED).exists()


def memory_photo_public(image) -> bool | None:
    """A check of images.access.RESTRICTED_IMAGES, registered by MemoriesConfig.ready():
    None for an image that is not a memory's photo, else whether its memory is approved."""
    if not is_memory_photo(image):
        return None
    return memory_photo_is_public(image_id=image.pk)


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

    @property
    def photo(self):
        """The rendition of the memory's photo its private page shows, once made."""
        if self.memory is None or self.memory.photo is None:
            return None
        renditions = self.memory.photo.renditions.all()  # prefetched above
        return next((r for r in renditions if r.filter_spec == PRIVATE_PHOTO_SPEC), None)
