"""Template helpers for the public collection pages."""

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


@register.simple_tag(takes_context=True)
def page_url(context, page_number: int) -> str:
    """The current URL with `page` replaced, other (valid or not) parameters kept."""
    params = context["request"].GET.copy()
    params["page"] = page_number
    return f"?{params.urlencode()}"
