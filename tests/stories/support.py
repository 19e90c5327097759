"""Builders shared by the story tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

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
