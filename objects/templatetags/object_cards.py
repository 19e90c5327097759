"""The cards of a list of objects, each kept between renders.

    {% load object_cards %}
    {% object_cards objects %}

Each card (objects/includes/object_card.html) is kept as a fragment
(foundation/fragment_cache.py) until its object, its type or its picture changes. A
page's cards are looked up in one round trip, and the images of those not kept are
loaded in one query: a page the page cache has to render (browse with new filters, a
page after a change elsewhere) loads and renders only the new cards.
"""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from foundation.fragment_cache import Fragment, cached_fragments
from foundation.page_cache import page_cache_shows
from objects.related import card_shows
from objects.selectors import load_listing_images

register = template.Library()

CARD_TEMPLATE = "objects/includes/object_card.html"


@register.simple_tag
def object_cards(objects) -> str:
    """The objects' cards, as a grid's items (the columns objects.related.CARD_COLUMNS
    names loaded, their images loaded or not)."""
    objects = list(objects)
    fragments = [Fragment(f"objects:card:{obj.pk}", lambda obj=obj: _card(obj)) for obj in objects]

    def load_images(positions: list[int]) -> None:
        load_listing_images([objects[n] for n in positions])

    cards = cached_fragments(fragments, before_rendering=load_images)
    return mark_safe("".join(cards))  # noqa: S308 (rendered templates)


def _card(obj) -> str:
    page_cache_shows(*card_shows(obj))
    return get_template(CARD_TEMPLATE).render({"obj": obj})
