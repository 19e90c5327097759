"""What each kind of public page gives oEmbed consumers (registered in
sharing.apps). A kind of page joins with one line: see sharing/oembed.py."""

from django.urls import reverse

from calls.models import CallPage
from memories.selectors import memory_public_get
from objects import selectors as object_selectors
from objects.presentation import object_share_image_url
from stories.models import StoryPage

from . import oembed

# The object card's frame (sharing/views.py), in CSS pixels.
OBJECT_CARD_SIZE = (400, 520)


def object_embed(request, slug):
    obj = object_selectors.live_objects().filter(slug=slug).first()
    if obj is None:
        return None
    images = list(obj.object_images.select_related("image").order_by("sort_order", "pk")[:1])
    return oembed.Embed(
        title=obj.title,
        url=request.build_absolute_uri(obj.get_absolute_url()),
        thumbnail_url=object_share_image_url(obj=obj, images=images, request=request),
        frame_url=request.build_absolute_uri(reverse("sharing:object_card", args=[obj.slug])),
        frame_size=OBJECT_CARD_SIZE,
    )


def memory_embed(request, public_id):
    memory = memory_public_get(public_id=public_id)
    if memory is None:
        return None
    about = f" of {memory.subject}" if memory.subject else " of BAC"
    return oembed.Embed(
        title=f"A memory{about}",
        url=request.build_absolute_uri(reverse("memories:detail", args=[memory.public_id])),
        author_name=memory.attribution,
    )


oembed.register_view("objects:object", object_embed)
oembed.register_view("memories:detail", memory_embed)
oembed.register_page(StoryPage, image="hero_image")
oembed.register_page(CallPage, image="image")
