"""Template helpers every app's pages use: `{% load foundation %}`, then
`{{ data|json_ld }}` for a schema.org script and `{% pagination page %}` for page links."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the
# <script> element or open a comment, whatever a cataloguer typed.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict) -> SafeString:
    """Render `data` as a schema.org <script type="application/ld+json"> element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page, label: str = "Pages", window: int = 2) -> dict:
    """Links to the first, previous, nearby, next and last pages of `page`
    (a Django Page), keeping the request's other parameters."""
    params = context["request"].GET.copy()

    def url(number: int) -> str:
        params["page"] = number
        return f"?{params.urlencode()}"

    paginator = page.paginator
    last = paginator.num_pages
    numbers = range(max(1, page.number - window), min(last, page.number + window) + 1)
    return {
        "page": page,
        "label": label,
        "first_url": url(1) if numbers.start > 1 else "",
        "previous_url": url(page.number - 1) if page.has_previous() else "",
        "links": [{"number": n, "url": url(n)} for n in numbers],
        "next_url": url(page.number + 1) if page.has_next() else "",
        "last_url": url(last) if numbers.stop <= last else "",
        "capped": getattr(paginator, "capped", False),
    }
