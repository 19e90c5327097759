"""The blocks a story is written in: one StoryStreamBlock, each block with an
icon, help text and a template in templates/blocks/.

Object blocks hold object ids (the chooser block). Wagtail converts a body's
blocks one type at a time, each type's objects in a query of its own; the story
page instead reads the ids of both object block types from the stored JSON and
loads them in one query (`body_objects_loaded`), with only what the blocks'
templates show, and the chooser blocks take their objects from it. Their images
come in one more (stories.selectors.story_body_objects), so a story costs the
same number of queries whatever its length. An object deleted or unpublished
after the story was written is left out of the public page, never an error.
"""

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from memories.choosers import memory_chooser_viewset
from objects.choosers import object_chooser_viewset
from objects.models import CollectionObject
from objects.related import CARD_COLUMNS
from objects.selectors import objects_by_id

logger = logging.getLogger(__name__)
IFRAME_SRC = re.compile(r"<iframe[^>]*\ssrc=[\"']([^\"']+)", re.IGNORECASE)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]

_ObjectChooserBlock = object_chooser_viewset.get_block_class(
    name="CollectionObjectChooserBlock", module_path="stories.blocks"
)


# What the object blocks' templates show of an object: a card, its accession
# number, and whether it is live (an unpublished one is left out, or flagged in a
# preview).
SHOWN_COLUMNS = (*CARD_COLUMNS, "accession_number", "live")

# The objects loaded for the body being read (id -> object, None when deleted),
# set by body_objects_loaded for as long as it lasts: per thread and request,
# as the block definitions are shared by every request.
_LOADED: ContextVar[dict[int, CollectionObject | None] | None] = ContextVar(
    "stories_body_objects", default=None
)


class CollectionObjectChooserBlock(_ObjectChooserBlock):
    def bulk_to_python(self, values):
        """The block's objects, from those body_objects_loaded loaded when it did;
        otherwise (the admin, a body read elsewhere) in one query, with the type
        their cards show."""
        values = list(values)
        loaded = _LOADED.get()
        if loaded is None or any(pk not in loaded for pk in values):
            loaded = CollectionObject.objects.select_related("object_type").in_bulk(values)
        return [loaded.get(pk) for pk in values]


class StoryRichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        kwargs.setdefault("help_text", "Paragraphs, headings, links and lists.")
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/rich_text_block.html"


class CollectionObjectBlock(blocks.StructBlock):
    object = CollectionObjectChooserBlock(
        help_text="Search by title or accession number. Unpublished objects are not shown."
    )
    caption = blocks.CharBlock(
        required=False,
        max_length=300,
        help_text="Why this object matters to the story. Defaults to its type and date.",
    )

    class Meta:
        icon = "image"
        label = "Collection object"
        template = "blocks/collection_object_block.html"
        help_text = "One object from the collection, shown as a card with its image and a link."

    @staticmethod
    def object_ids(raw_value: dict) -> list:
        """The ids of the objects a stored value shows (body_object_ids)."""
        return [raw_value.get("object")]


class ObjectGalleryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=200)
    objects = blocks.ListBlock(
        CollectionObjectChooserBlock(),
        min_num=2,
        help_text="Two or more objects, shown as a grid of cards.",
    )

    class Meta:
        icon = "grip"
        label = "Object gallery"
        template = "blocks/object_gallery_block.html"
        help_text = "A grid of objects from the collection."

    @staticmethod
    def object_ids(raw_value: dict) -> list:
        # List items are stored as {"type": "item", "value": id, "id": ...}; bare ids
        # before Wagtail 2.16.
        items = raw_value.get("objects", [])
        return [item["value"] if isinstance(item, dict) else item for item in items]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=300,
        help_text="What the image shows, for people who cannot see it.",
    )
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(
        required=False, max_length=200, help_text="Photographer or source, as the licence asks."
    )

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/captioned_image_block.html"
        help_text = "An image that is not a collection object, with a caption and credit."


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=200, help_text="Who said it.")

    class Meta:
        icon = "openquote"
        label = "Pull quote"
        template = "blocks/pull_quote_block.html"
        help_text = "A short quotation set apart from the text."


class VideoEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(
        max_width=800, help_text="The address of a video page (YouTube, Vimeo and others)."
    )
    caption = blocks.CharBlock(
        required=False, max_length=300, help_text="What the video is, and who made it."
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_html"] = self.embed_html(value["embed"])
        return context

    @staticmethod
    def embed_html(embed) -> str:
        """The provider's player, or "" (the template then shows the link):
        a provider that is down or a video that was removed never breaks a story,
        and a player the site's Content-Security-Policy would block (its origin is
        not in VIDEO_EMBED_ORIGINS) is never shown as an empty frame."""
        if embed is None:
            return ""
        try:
            html = embed.html
        except Exception:
            logger.warning("Could not embed %s", embed.url, exc_info=True)
            return ""
        frame = IFRAME_SRC.search(html or "")
        if frame is None or _origin(frame.group(1)) not in settings.VIDEO_EMBED_ORIGINS:
            return ""
        return html

    class Meta:
        icon = "media"
        label = "Video"
        template = "blocks/video_embed_block.html"
        help_text = "An embedded video. If it cannot be shown, visitors get a link to it instead."


class TimelineEntryBlock(blocks.StructBlock):
    date = blocks.CharBlock(max_length=100, help_text='As people would say it: "Spring 1998".')
    title = blocks.CharBlock(max_length=200)
    text = blocks.TextBlock(required=False, max_length=600)

    class Meta:
        icon = "date"
        label = "Entry"


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=200)
    entries = blocks.ListBlock(TimelineEntryBlock(), min_num=1, help_text="Oldest first.")

    class Meta:
        icon = "history"
        label = "Timeline"
        template = "blocks/timeline_block.html"
        help_text = "A list of dated moments, oldest first."


MemoryChooserBlock = memory_chooser_viewset.get_block_class(
    name="MemoryChooserBlock", module_path="stories.blocks"
)


class CommunityMemoryBlock(blocks.StructBlock):
    memory = MemoryChooserBlock(
        help_text="A published memory. If its contributor withdraws it, it disappears from "
        "the story too."
    )

    class Meta:
        icon = "openquote"
        label = "Community memory"
        template = "blocks/community_memory_block.html"
        help_text = "A memory shared by a member of the public, with the name they chose."


class StoryStreamBlock(blocks.StreamBlock):
    text = StoryRichTextBlock()
    collection_object = CollectionObjectBlock()
    object_gallery = ObjectGalleryBlock()
    image = CaptionedImageBlock()
    pull_quote = PullQuoteBlock()
    video = VideoEmbedBlock()
    timeline = TimelineBlock()
    community_memory = CommunityMemoryBlock()


OBJECT_BLOCKS = (CollectionObjectBlock, ObjectGalleryBlock)


def body_object_ids(body: StreamValue) -> list:
    """The ids of the objects `body`'s blocks show, in order, read from its stored
    JSON without converting a block."""
    ids = []
    for raw in body.raw_data:
        block = body.stream_block.child_blocks.get(raw["type"])
        if isinstance(block, OBJECT_BLOCKS):
            ids.extend(block.object_ids(raw["value"]))
    return ids


def _as_id(stored) -> int | None:
    """An object's id as a block stores it (a number, or its digits), else None."""
    if isinstance(stored, int) and not isinstance(stored, bool):
        return stored
    return int(stored) if isinstance(stored, str) and stored.isdigit() else None


@contextmanager
def body_objects_loaded(body: StreamValue) -> Iterator[None]:
    """Within it, reading `body`'s blocks takes the objects of every object block,
    whatever its type, from one query made here, of the columns the blocks show
    (SHOWN_COLUMNS). Deleted objects come back as None, unpublished ones as they
    are: the templates decide. A body built from a form (a preview) holds its
    objects already: nothing is loaded."""
    if not body.is_lazy:
        yield
        return
    ids = body_object_ids(body)
    wanted = sorted({pk for pk in map(_as_id, ids) if pk is not None})
    found = objects_by_id(wanted, columns=SHOWN_COLUMNS)
    token = _LOADED.set({pk: found.get(_as_id(pk)) for pk in ids})
    try:
        yield
    finally:
        _LOADED.reset(token)
