"""Memories on other apps' pages.

{% load memories %}
{% memories_section object=object %}          on an object page
{% memories_section production=production %}  on a production page
{% latest_memories %}                         the newest, on the home page
(their templates show the open calls for memories too, with `{% load calls %}`)
{{ wording.text|paragraphs }}                 plain text as a list of paragraphs
"""

import re

from django import template

from memories import selectors

register = template.Library()


@register.inclusion_tag("memories/includes/memories_section.html")
def memories_section(object=None, production=None):
    """The memories of an object or a production, with the open calls asking about it."""
    if object is not None:
        return {
            "memories": selectors.memories_for_object(obj=object),
            "object": object,
            "share_query": f"object={object.slug}",
            "subject_title": object.title,
        }
    return {
        "memories": selectors.memories_for_production(production=production),
        "production": production,
        "share_query": f"production={production.slug}",
        "subject_title": production.title,
    }


@register.inclusion_tag("memories/includes/latest_memories.html")
def latest_memories(limit=3):
    """The newest memories on the home page, after the open calls."""
    return {"memories": selectors.memories_latest(limit=limit)}


@register.filter
def paragraphs(text: str) -> list[str]:
    """Plain text split where `linebreaks` makes paragraphs (blank lines), so a
    page can show the first and offer the rest."""
    return [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
