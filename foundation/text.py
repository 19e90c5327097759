"""Rich text as plain text, the one definition for the site."""

import html
import re

from wagtail.rich_text import get_text_for_indexing


def plain_text(rich_text: str) -> str:
    """Rich text (HTML) as readable plain text: no tags, entities decoded
    ("&#x27;" is "'"), a space between paragraphs, runs of spaces as one.
    The one definition for the site: search documents, the API, IIIF,
    JSON-LD and the bulk downloads all read text through it."""
    text = rich_text or ""
    # Most catalogue descriptions have no markup: skip the parser. Wagtail's helper
    # strips tags (a space kept between block elements), then unescapes.
    text = get_text_for_indexing(text) if "<" in text else html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()
