from django import template

from pages.links import SITE_LINKS, site_page_url, site_page_urls

register = template.Library()


@register.simple_tag(takes_context=True, name="site_page_url")
def site_page_url_tag(context, key):
    """{% site_page_url "privacy" as privacy_url %}: None if there is no such page yet."""
    return site_page_url(key, request=context.get("request"))


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
