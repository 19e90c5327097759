"""Builders shared by the story tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.stories import StoryPageFactory, gallery_block, object_block
from tests.objects.pages_support import object_with_image


def queries_for(client, url) -> int:
    """Queries to serve `url` once caches are warm (the second request)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def story_with_objects(count: int, *, gallery_size: int = 2, **kwargs):
    """A published story with `count` object cards and a gallery of `gallery_size`."""
    objects = [object_with_image(title=f"Object {n}") for n in range(count + gallery_size)]
    body = [object_block(obj) for obj in objects[:count]]
    body.append(gallery_block(objects[count:]))
    return StoryPageFactory(body=body, **kwargs), objects
