"""Memories on other apps' pages.

{% load memories %}
{% memories_section object=object %}          on an object page
{% memories_section production=production %}  on a production page
{% latest_memories %}                         the newest, on the home page
{% privacy_notice_link %}                     the site's privacy notice
"""

from django import template
from django.utils.html import format_html

from memories import selectors

register = template.Library()


@register.inclusion_tag("memories/includes/memories_section.html")
def memories_section(object=None, production=None):
    if object is not None:
        return {
            "memories": selectors.memories_for_object(obj=object),
            "share_query": f"object={object.slug}",
            "subject_title": object.title,
        }
    return {
        "memories": selectors.memories_for_production(production=production),
        "share_query": f"production={production.slug}",
        "subject_title": production.title,
    }


@register.inclusion_tag("memories/includes/latest_memories.html")
def latest_memories(limit=3):
    return {"memories": selectors.memories_latest(limit=limit)}


@register.simple_tag
def privacy_notice_link():
    url = _privacy_notice_url()
    if not url:
        return ""
    return format_html(
        'How we look after your details is explained in our <a href="{}">privacy notice</a>.', url
    )


def _privacy_notice_url() -> str:
    return ""
