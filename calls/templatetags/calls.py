"""The open calls for memories, where the memories show (the memories section of
object and production pages, the latest memories on the home page):

{% load calls %}
{% open_calls object=object %}          the calls asking about an object (or its production)
{% open_calls production=production %}  the calls asking about a production
{% open_calls %}                        the calls the home page shows

Memories' templates load these: calls sits above memories, so memories' code never
names calls.
"""

from django import template

from calls.selectors import calls_for_home, calls_open_for

register = template.Library()


@register.inclusion_tag("calls/includes/open_calls.html")
def open_calls(object=None, production=None, heading_id="open-calls-heading"):
    if object is None and production is None:
        calls = calls_for_home()
    else:
        calls = calls_open_for(obj=object, production=production)
    return {"calls": calls, "heading_id": heading_id}
