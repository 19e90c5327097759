"""Public reads of stories. Every query the story pages, the listing, the feed
and an object's "featured in" list make lives here, each a fixed number of
queries whatever the number of blocks, cards or stories."""

from dataclasses import dataclass

from django import forms
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.db.models import BigIntegerField, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.functions import Cast
from django.http import HttpRequest, QueryDict
from wagtail.models import ReferenceIndex

from foundation.page_cache import SITE, page_cache_depends_on, page_cache_generation
from foundation.pagination import ArchivePaginator
from foundation.sample import shows_sample_content
from foundation.text import plain_text
from images.selectors import picture_renditions_prefetch
from images.templatetags.archive_images import social_image_url
from objects.models import CollectionObject
from objects.selectors import images_prefetch

from .models import StaffProfile, StoryIndexPage, StoryPage, Theme

PER_PAGE = 12
FEATURED_IN_LIMIT = 12
FEED_LIMIT = 20
ORGANISATION = "Battersea Arts Centre"


def live_stories() -> QuerySet[StoryPage]:
    return StoryPage.objects.live().order_by("-publication_date", "-pk")


def story_cards(
    stories: QuerySet[StoryPage], *, card_object_images: bool = True
) -> QuerySet[StoryPage]:
    """Stories with what a card shows: the hero image and its renditions, or for a
    story without one, its themes (the card's colour) and its first object's image.
    Five queries for any number of cards. Without `card_object_images` the caller
    loads the card objects' images itself (home: with its other objects', at once)."""
    prefetches = [
        picture_renditions_prefetch(lookup="hero_image__renditions", usages=("listing",)),
        "themes",
    ]
    if card_object_images:
        images = images_prefetch(usages=("listing",)).queryset
        prefetches.append(Prefetch("card_object__object_images", queryset=images))
    return stories.select_related("hero_image", "card_object").prefetch_related(*prefetches)


INDEX_CACHE_SECONDS = 24 * 60 * 60


def stories_index() -> StoryIndexPage | None:
    """The stories listing (the first published), kept until a page is published."""
    key = f"stories:index:{page_cache_generation(SITE)}"
    index = cache.get(key)
    if index is None:
        index = StoryIndexPage.objects.live().order_by("path").first() or False
        cache.set(key, index, INDEX_CACHE_SECONDS)
    return index or None


# --- A story page -------------------------------------------------------------


def story_body_objects(*, story: StoryPage) -> list[CollectionObject]:
    """Every object the story's blocks reference, with their images loaded.

    Reading the body loads each block type's objects in one query (Wagtail's
    bulk_to_python, with their types); their images and renditions then load
    in two more, onto the same instances the blocks render.
    """
    found = []
    for block in story.body:
        if block.block_type == "collection_object" and block.value["object"] is not None:
            found.append(block.value["object"])
        elif block.block_type == "object_gallery":
            found.extend(obj for obj in block.value["objects"] if obj is not None)
    if found:
        prefetch_related_objects(found, images_prefetch(usages=("listing",)))
    return found


def _prefetch_block_images(story: StoryPage) -> None:
    images = [block.value["image"] for block in story.body if block.block_type == "image"]
    images = [image for image in images if image is not None]
    if images:
        prefetch_related_objects(images, picture_renditions_prefetch(usages=("detail",)))


def story_authors(*, story: StoryPage) -> list[StaffProfile]:
    if not story.pk:  # a preview of a story never saved: the form's choices, in memory
        return list(story.authors.all())
    return list(
        story.authors.select_related("photo").prefetch_related(
            picture_renditions_prefetch(lookup="photo__renditions", usages=("thumbnail",))
        )
    )


def story_json_ld(
    *, story: StoryPage, authors: list[StaffProfile], permalink: str, image_url: str
) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": story.title,
        "description": plain_text(story.standfirst),
        "url": permalink,
        "datePublished": story.publication_date.isoformat(),
        "publisher": {"@type": "Organization", "name": ORGANISATION},
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                **({"jobTitle": author.role} if author.role else {}),
            }
            for author in authors
        ]
        or [{"@type": "Organization", "name": ORGANISATION}],
    }
    if story.last_published_at:
        data["dateModified"] = story.last_published_at.isoformat()
    if image_url:
        data["image"] = image_url
    return data


def story_page_context(*, story: StoryPage, request: HttpRequest) -> dict:
    # The story changes with a publish (every page); the objects and memories its
    # blocks show are recorded as they load (pages/invalidation.py).
    page_cache_depends_on()
    objects = story_body_objects(story=story)
    _prefetch_block_images(story)
    if story.hero_image is not None:
        prefetch_related_objects(
            [story.hero_image], picture_renditions_prefetch(usages=("detail",), social=True)
        )
    authors = story_authors(story=story)
    permalink = request.build_absolute_uri(story.url) if story.pk and story.url else ""
    share_image = social_image_url({"request": request}, story.hero_image)
    seen = set()
    featured = []
    for obj in objects:
        if obj.live and obj.pk not in seen:
            seen.add(obj.pk)
            featured.append(obj)
    index = None
    if story.pk:
        # Its parent, most often the stories listing already at hand.
        listing = stories_index()
        is_child = listing is not None and story.path[: -story.steplen] == listing.path
        index = listing if is_child else story.get_parent()
    return {
        "stories_index_url": index.url if index else "",
        # The breadcrumb's pages below home: the listing at hand when it is home's
        # child, which spares the query for the story's ancestors.
        "breadcrumb_ancestors": [index] if index and index.depth == 3 else None,
        "authors": authors,
        "themes": list(story.themes.all()),
        "story_objects": featured,
        "permalink": permalink,
        "social_image_url": share_image,
        "json_ld": story_json_ld(
            story=story, authors=authors, permalink=permalink, image_url=share_image
        ),
        "shows_sample_data": shows_sample_content([story]),
    }


# --- The listing --------------------------------------------------------------


class StoryFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All themes",
    )


@dataclass(frozen=True)
class StoryListing:
    form: StoryFilterForm
    theme: Theme | None
    page: PaginatorPage


def story_listing(*, index: StoryIndexPage, params: QueryDict) -> StoryListing:
    form = StoryFilterForm(params)
    theme = form.cleaned_data["theme"] if form.is_valid() else None
    stories = live_stories().child_of(index)
    if theme is not None:
        stories = stories.filter(themes=theme)
    page = ArchivePaginator(story_cards(stories), PER_PAGE).get_page(params.get("page"))
    return StoryListing(form=form, theme=theme, page=page)


def story_listing_context(*, index: StoryIndexPage, params: QueryDict) -> dict:
    listing = story_listing(index=index, params=params)
    return {
        "form": listing.form,
        "theme": listing.theme,
        "stories_page": listing.page,
        "stories": list(listing.page),
        "shows_sample_data": shows_sample_content(listing.page),
    }


def stories_for_feed(*, index: StoryIndexPage) -> list[StoryPage]:
    return list(
        live_stories()
        .child_of(index)
        .prefetch_related(Prefetch("authors", queryset=StaffProfile.objects.order_by("name")))[
            :FEED_LIMIT
        ]
    )


# --- Objects -> stories ("featured in") ---------------------------------------


# How long the ids of objects stories feature are kept at most (the site generation,
# which every publish bumps, keys them).
FEATURED_OBJECTS_CACHE_SECONDS = 600


def _story_references():
    # Content types matched by join, not looked up: one query in all, even cold.
    return ReferenceIndex.objects.filter(
        to_content_type__app_label="objects",
        to_content_type__model="collectionobject",
        content_type__app_label="stories",
        content_type__model="storypage",
    )


def featured_object_ids() -> frozenset[int]:
    """Ids of every object a story references: one query for the whole site, kept
    until a page is published, so most object pages (featured in no story) ask the
    reference index nothing."""
    key = f"stories:featured-object-ids:{page_cache_generation(SITE)}"
    ids = cache.get(key)
    if ids is None:
        ids = frozenset(
            int(pk) for pk in _story_references().values_list("to_object_id", flat=True)
        )
        cache.set(key, ids, FEATURED_OBJECTS_CACHE_SECONDS)
    return ids


def stories_featuring(*, obj: CollectionObject) -> list[StoryPage]:
    """Published stories whose blocks reference `obj`, newest first.

    Read from Wagtail's reference index, which Wagtail rewrites whenever a page
    is saved, published or deleted (from the page's live content), so no story
    is ever scanned here. Unpublished stories are filtered out by `live`.
    """
    if obj.pk not in featured_object_ids():
        return []
    references = (
        _story_references()
        .filter(to_object_id=str(obj.pk))
        .annotate(story_id=Cast("object_id", BigIntegerField()))
    )
    return list(
        story_cards(live_stories().filter(pk__in=references.values("story_id")))[:FEATURED_IN_LIMIT]
    )
