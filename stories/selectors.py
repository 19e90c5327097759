"""What the story pages show: a story, the listing and the feed, each built from
the page in hand in a fixed number of queries whatever the number of blocks, cards
or stories; and the story card every list of stories shows.

The page models call these from their get_context (stories/models/pages.py), so
nothing here imports them: the stories to show come from the page (its children,
its parent, its relations) or are handed over by it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.db import connection
from django.db.models import OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.functions import JSONObject
from django.db.models.query import ModelIterable
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string

from foundation.compiled_queries import compiled_once
from foundation.fragment_cache import cached_fragment
from foundation.page_cache import SITE, page_cache_depends_on, page_cache_generation
from foundation.pagination import ArchivePaginator
from foundation.prefetched import prefetched
from foundation.sample import shows_sample_content
from foundation.text import plain_text
from images.selectors import (
    picture_filter_specs,
    picture_renditions_prefetch,
    renditions_from_json,
    renditions_json,
)
from images.templatetags.archive_images import social_image_url
from objects.selectors import images_prefetch, load_listing_images
from stories.blocks import body_objects_loaded

if TYPE_CHECKING:
    from wagtail.models import Page

    from objects.models import CollectionObject

    from .models import StaffProfile, StoryPage, Theme

PER_PAGE = 12
FEED_LIMIT = 20
ORGANISATION = "Battersea Arts Centre"


def story_cards(
    stories: QuerySet[StoryPage], *, card_object_images: bool = True
) -> QuerySet[StoryPage]:
    """Stories with what a card shows: the hero image and its renditions, or for a
    story without one, its themes (the card's colour) and its first object's image.
    On PostgreSQL two queries for any number of cards: the hero image's renditions
    and the themes come in each story's row as JSON; elsewhere four. Without
    `card_object_images` the caller loads the card objects' images itself (home:
    with its other objects', at once)."""
    prefetches = []
    if card_object_images:
        images = images_prefetch(usages=("listing",)).queryset
        prefetches.append(Prefetch("card_object__object_images", queryset=images))
    # A card never shows the body (its first object is `card_object`): the largest column.
    stories = stories.select_related("hero_image", "card_object").defer("body")
    if connection.vendor != "postgresql":
        prefetches += [
            picture_renditions_prefetch(lookup="hero_image__renditions", usages=("listing",)),
            "themes",
        ]
        return stories.prefetch_related(*prefetches)
    theme_model = stories.model._meta.get_field("themes").related_model
    hero_image = f"{stories.model._meta.db_table}.hero_image_id"
    stories = stories.annotate(
        hero_renditions_json=renditions_json(hero_image, picture_filter_specs(usages=("listing",))),
        themes_json=_rows_as_json(theme_model, THEME_FIELDS),
    ).prefetch_related(*prefetches)
    # Each row fills its hero image's renditions and its themes as it is read,
    # however the queryset is sliced or filtered (a clone keeps its iterable class).
    stories._iterable_class = _CardsFromJSON
    return stories


THEME_FIELDS = ("id", "name", "slug", "description", "colour")
PROFILE_FIELDS = ("id", "name", "role", "photo_id", "bio")


def _rows_as_json(model, fields: tuple[str, ...]) -> ArraySubquery:
    """The rows of `model` related to the outer story (by its `stories` relation), in
    their order, as an array of JSON objects of `fields` (PostgreSQL)."""
    rows = model.objects.filter(stories=OuterRef("pk")).order_by(*model._meta.ordering, "pk")
    return ArraySubquery(rows.values(json=JSONObject(**{name: name for name in fields})))


def _from_json(model, db: str, fields: tuple[str, ...], row: dict):
    """An instance of `model` from one of _rows_as_json's objects (text and numbers)."""
    return model.from_db(db, fields, [row[name] for name in fields])


class _CardsFromJSON(ModelIterable):
    """Stories whose hero image's renditions and themes come from their JSON columns
    (story_cards), where `{% picture %}` and `story.themes.all()` look first."""

    def __iter__(self):
        built: dict[int, list] = {}
        theme_model = self.queryset.model._meta.get_field("themes").related_model
        for story in super().__iter__():
            if story.hero_image is not None:
                renditions_from_json(story.hero_image, story.hero_renditions_json, built)
            themes = [
                _from_json(theme_model, story._state.db, THEME_FIELDS, row)
                for row in story.themes_json
            ]
            prefetched(story, "themes", theme_model, themes)
            yield story


PARENT_CACHE_SECONDS = 24 * 60 * 60


def story_parent(*, story: StoryPage) -> Page:
    """The story's parent, the stories listing: kept until a page is published, so
    the stories of one listing look it up once."""
    key = f"stories:parent:{page_cache_generation(SITE)}:{story.path[: -story.steplen]}"
    parent = cache.get(key)
    if parent is None:
        parent = story.get_parent()
        cache.set(key, parent, PARENT_CACHE_SECONDS)
    return parent


# --- A story page -------------------------------------------------------------


def story_body_objects(*, story: StoryPage) -> list[CollectionObject]:
    """Every object the story's blocks reference, with their images loaded.

    Reading the body loads the objects of all its object blocks in one query
    (body_objects_loaded); the images of those that have any then load with their
    renditions in one more on PostgreSQL (two elsewhere), onto the same instances
    the blocks render.
    """
    with body_objects_loaded(story.body):
        body = list(story.body)
    found = []
    for block in body:
        if block.block_type == "collection_object" and block.value["object"] is not None:
            found.append(block.value["object"])
        elif block.block_type == "object_gallery":
            found.extend(obj for obj in block.value["objects"] if obj is not None)
    load_listing_images(found)
    return found


def story_body_html(*, story: StoryPage, request: HttpRequest) -> str:
    """The story's blocks and the list of the objects they show. Kept as a fragment
    until the story is published again or a record its blocks show changes (its
    objects, their images and types, its memories: recorded as they load); a preview
    renders the draft's."""

    def render() -> str:
        objects = story_body_objects(story=story)
        _prefetch_block_images(story)
        featured = list({obj.pk: obj for obj in objects if obj.live}.values())
        context = {"page": story, "story_objects": featured, "request": request}
        return render_to_string("stories/includes/story_body.html", context)

    if getattr(request, "is_preview", False) or not story.pk:
        return render()
    return cached_fragment(f"stories:body:{story.pk}", render, shows=[f"story:{story.pk}"])


def _prefetch_block_images(story: StoryPage) -> None:
    images = [block.value["image"] for block in story.body if block.block_type == "image"]
    images = [image for image in images if image is not None]
    if images:
        prefetch_related_objects(images, picture_renditions_prefetch(usages=("detail",)))


def story_authors_and_themes(
    *, story: StoryPage, preview: bool = False
) -> tuple[list[StaffProfile], list[Theme]]:
    """The story's authors, with their photos, and its themes. A preview shows the
    draft's choices, in memory. A published story's come in one query of its own row,
    as JSON (compiled once per process), and its authors' photos with their
    renditions in two more only when an author has one."""
    if not story.pk:  # a story never saved: the form's choices
        return list(story.authors.all()), list(story.themes.all())
    if preview or connection.vendor != "postgresql":
        authors = story.authors.select_related("photo").prefetch_related(_author_photos())
        return list(authors), list(story.themes.all())
    profile = story._meta.get_field("authors").related_model
    theme = story._meta.get_field("themes").related_model

    def people_of(story_id: int) -> QuerySet:
        # No ordering: the story's own table alone, not joined to its page row.
        return (
            type(story)
            .objects.filter(pk=story_id)
            .order_by()
            .values_list(_rows_as_json(profile, PROFILE_FIELDS), _rows_as_json(theme, THEME_FIELDS))
        )

    rows = compiled_once("stories:authors-and-themes", people_of, story.pk)
    author_rows, theme_rows = next(iter(rows), ([], []))
    db = story._state.db
    authors = [_from_json(profile, db, PROFILE_FIELDS, row) for row in author_rows]
    if any(author.photo_id for author in authors):
        prefetch_related_objects(authors, "photo", _author_photos())
    return authors, [_from_json(theme, db, THEME_FIELDS, row) for row in theme_rows]


def _author_photos() -> Prefetch:
    return picture_renditions_prefetch(lookup="photo__renditions", usages=("thumbnail",))


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
    if story.hero_image is not None:
        prefetch_related_objects(
            [story.hero_image], picture_renditions_prefetch(usages=("detail",), social=True)
        )
    preview = getattr(request, "is_preview", False)
    authors, themes = story_authors_and_themes(story=story, preview=preview)
    # get_url(request) keeps the site's root paths on the request: one cache read.
    url = story.get_url(request) if story.pk else None
    permalink = request.build_absolute_uri(url) if url else ""
    share_image = social_image_url({"request": request}, story.hero_image)
    index = story_parent(story=story) if story.pk else None
    return {
        "stories_index_url": index.get_url(request) if index else "",
        # The breadcrumb's pages below home: the listing when it is home's child,
        # which spares the query for the story's ancestors.
        "breadcrumb_ancestors": [index] if index and index.depth == 3 else None,
        "authors": authors,
        "themes": themes,
        "story_body": story_body_html(story=story, request=request),
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
        queryset=None, to_field_name="slug", required=False, empty_label="All themes"
    )

    def __init__(self, data: QueryDict, *, themes: QuerySet[Theme]):
        super().__init__(data)
        self.fields["theme"].queryset = themes


@dataclass(frozen=True)
class StoryListing:
    form: StoryFilterForm
    theme: Theme | None
    page: PaginatorPage


def story_listing(
    *, stories: QuerySet[StoryPage], themes: QuerySet[Theme], params: QueryDict
) -> StoryListing:
    """A page of `stories`, narrowed to the theme chosen among `themes`."""
    form = StoryFilterForm(params, themes=themes)
    theme = form.cleaned_data["theme"] if form.is_valid() else None
    if theme is not None:
        stories = stories.filter(themes=theme)
    page = ArchivePaginator(story_cards(stories), PER_PAGE).get_page(params.get("page"))
    return StoryListing(form=form, theme=theme, page=page)


def story_listing_context(
    *, stories: QuerySet[StoryPage], themes: QuerySet[Theme], params: QueryDict
) -> dict:
    listing = story_listing(stories=stories, themes=themes, params=params)
    return {
        "form": listing.form,
        "theme": listing.theme,
        "stories_page": listing.page,
        "stories": list(listing.page),
        "shows_sample_data": shows_sample_content(listing.page),
    }


def stories_for_feed(*, stories: QuerySet[StoryPage]) -> list[StoryPage]:
    # Authors in name order (StaffProfile's own ordering).
    return list(stories.prefetch_related("authors")[:FEED_LIMIT])
