"""Builders shared by the story tests."""

from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from stories.models import StoryIndexPage
from tests.factories.stories import StoryPageFactory, gallery_block, object_block
from tests.objects.pages_support import object_with_image


def queries_for(client, url) -> int:
    """Queries to render `url` once caches are warm (the second request), with
    the whole-page cache off: the page itself is what is measured."""
    client.get(url)  # fills the caches a running site has (footer links...)
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) > 0, "served from a cache: nothing was measured"
    return len(queries)


def story_with_objects(count: int, *, gallery_size: int = 2, **kwargs):
    """A published story with `count` object cards and a gallery of `gallery_size`."""
    objects = [object_with_image(title=f"Object {n}") for n in range(count + gallery_size)]
    body = [object_block(obj) for obj in objects[:count]]
    body.append(gallery_block(objects[count:]))
    return StoryPageFactory(body=body, **kwargs), objects


def member_of(name: str, username: str | None = None) -> User:
    user = User.objects.create_user(username or name.lower(), password="not-a-real-password")
    user.groups.add(Group.objects.get(name=name))
    return user


def story_form(*, title="Posters of 1998", objects=(), action="action-submit", **extra) -> dict:
    blocks = [("text", rich_text("<p>It began with a poster.</p>"))]
    blocks += [("collection_object", {"object": obj.pk, "caption": ""}) for obj in objects]
    data = {
        "title": title,
        "slug": title.lower().replace(" ", "-"),
        "standfirst": "How one season was advertised.",
        "hero_image": "",
        "hero_alt_text": "",
        "body": streamfield(blocks),
        "publication_date": "2026-11-01",
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
        action: action,
        **extra,
    }
    return nested_form_data(data)


def add_url():
    return reverse(
        "wagtailadmin_pages:add", args=["stories", "storypage", StoryIndexPage.objects.get().pk]
    )
