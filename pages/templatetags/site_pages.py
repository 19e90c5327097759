from django import template
from django.conf import settings
from django.utils.html import format_html

from pages.links import SITE_LINKS, site_page_url, site_page_urls

register = template.Library()


@register.simple_tag(takes_context=True, name="site_page_url")
def site_page_url_tag(context, key):
    """{% site_page_url "privacy" as privacy_url %}: None if there is no such page yet."""
    return site_page_url(key, request=context.get("request"))


@register.simple_tag(takes_context=True)
def privacy_notice_link(context):
    """{% privacy_notice_link %}: the sentence forms that take personal details end
    with (memories, identifications)."""
    url = site_page_url("privacy", request=context.get("request"))
    if not url:  # no privacy notice published yet: say where to ask instead
        return f"To ask how we look after your details, email {settings.DEFAULT_FROM_EMAIL}."
    return format_html(
        'How we look after your details is explained in our <a href="{}">privacy notice</a>.', url
    )


@register.inclusion_tag("pages/includes/footer_links.html", takes_context=True)
def footer_links(context):
    request = context.get("request")
    urls = site_page_urls()
    return {
        "request": request,
        "links": [
            {"label": label, "url": urls[key]}
            for key, (_, label) in SITE_LINKS.items()
            if key in urls
        ],
    }
