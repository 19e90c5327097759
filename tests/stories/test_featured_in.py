"""An object page's "Featured in": the published stories that reference the object,
read through Wagtail's ReferenceIndex.get_references_to (stories/featured_in.py)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests.factories.stories import StoryPageFactory, object_block
from tests.objects.pages_support import object_with_image

pytestmark = pytest.mark.django_db


def test_the_stories_are_listed_newest_first(client):
    obj = object_with_image()
    for title, day in [("Middle story", 10), ("Oldest story", 1), ("Newest story", 20)]:
        StoryPageFactory(
            title=title, body=[object_block(obj)], publication_date=datetime.date(2026, 3, day)
        )

    html = client.get(obj.get_absolute_url()).content.decode()

    featured = html.split("Featured in", 1)[1]
    found = [featured.index(title) for title in ("Newest story", "Middle story", "Oldest story")]
    assert found == sorted(found)


def test_a_new_process_pays_the_content_type_lookup_once(client):
    """get_references_to looks up the object's content type, which Django keeps per
    process (the object page itself never asks for it): a new process's first
    featured object page makes that one query more, and no page after it does."""
    obj = object_with_image()
    StoryPageFactory(title="A story", body=[object_block(obj)])
    url = obj.get_absolute_url()
    client.get(url)  # the site-wide caches a running site has (footer, featured ids)

    def queries() -> list[str]:
        with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as q:
            response = client.get(url)
        assert "A story" in response.content.decode()
        return [query["sql"] for query in q.captured_queries]

    warm = queries()
    ContentType.objects.clear_cache()  # as in a new process
    first = queries()
    assert len(first) == len(warm) + 1
    assert [sql for sql in first if "django_content_type" in sql and "objects" in sql]
    assert len(queries()) == len(warm)
