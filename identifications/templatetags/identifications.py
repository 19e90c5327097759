"""Identifications on the object page.

{% load identifications %}
{% identified_with_help object %}   what the public helped identify, and when
"""

from django import template

from identifications.selectors import provenance_for

register = template.Library()


@register.inclusion_tag("identifications/includes/provenance.html")
def identified_with_help(obj):
    return {"facts": provenance_for(obj), "object": obj}
