"""{% stories_featuring object %}: the published stories an object appears in,
for the object page (read from the reference index, see stories/featured_in.py)."""

from django import template

from stories.featured_in import stories_featuring

register = template.Library()


@register.inclusion_tag("stories/includes/featured_in.html")
def stories_featuring_object(obj):
    return {"stories": stories_featuring(obj=obj) if obj.pk else []}
