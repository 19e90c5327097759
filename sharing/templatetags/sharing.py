"""Sharing on every kind of public page.

{% load sharing %}
{% share_links title=object.title %}          share links (templates/sharing/share.html)
{% oembed_discovery title=object.title %}     the oEmbed <link>, in the page's head

Both take `url=` too; without it they use this page's address (no query string).
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from sharing import links

register = template.Library()


def _page_url(context, url) -> str:
    if url:
        return url
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request is not None else ""


@register.inclusion_tag("sharing/share.html", takes_context=True)
def share_links(context, title, url=""):
    url = _page_url(context, url)
    return {"url": url, "title": title, "links": links.share_links(url=url, title=title)}


@register.simple_tag(takes_context=True)
def oembed_discovery(context, title, url=""):
    url = _page_url(context, url)
    if not url:
        return ""
    endpoint = reverse("sharing:oembed") + "?" + urlencode({"url": url, "format": "json"})
    request = context.get("request")
    if request is not None:
        endpoint = request.build_absolute_uri(endpoint)
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">',
        endpoint,
        title,
    )
