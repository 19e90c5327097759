"""Stories in the site search, through both backends' code paths."""

import json

import pytest

from search import backends
from search.models import SearchEntry
from search.registry import get_kind
from search.results import SearchRequest
from search.services import search_index_update
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StaffProfileFactory, StoryPageFactory, ThemeFactory
from tests.search.fakes import bulk_actions, fake_elasticsearch

pytestmark = pytest.mark.django_db
STORIES = "stories.StoryPage"


def index(*records, model_label=STORIES):
    search_index_update(model_label=model_label, pks=[record.pk for record in records])


def story_about_masks():
    return StoryPageFactory(
        title="Masks of the Grand Hall",
        standfirst="Three shows, one mask maker.",
        body=[{"type": "text", "value": "<p>The papier-mâché was still wet.</p>"}],
        authors=[StaffProfileFactory(name="Sam Archivist")],
        themes=[ThemeFactory(name="Making")],
    )


def test_stories_are_found_beside_objects_with_a_result_type_facet(client):
    story = story_about_masks()
    obj = CollectionObjectFactory(title="Mask from the Grand Hall")
    index(story)
    index(obj, model_label="objects.CollectionObject")

    results = backends.search(SearchRequest(query="grand hall mask"))

    assert {(hit.kind, hit.id) for hit in results.hits} == {
        ("stories", story.pk),
        ("objects", obj.pk),
    }
    html = client.get("/search/", {"q": "grand hall mask"}).content.decode()
    assert "Result type" in html and "Stories" in html and "Objects" in html
    assert f'href="{story.url}"' in html

    stories_only = client.get("/search/", {"q": "grand hall mask", "kind": "stories"}).content
    assert obj.get_absolute_url() not in stories_only.decode()


def test_a_story_is_found_by_its_body_author_and_theme():
    story = story_about_masks()
    index(story)
    for query in ("papier", "Sam Archivist", "making"):
        hits = backends.search(SearchRequest(query=query)).hits
        assert [(hit.kind, hit.id) for hit in hits] == [("stories", story.pk)], query


def test_unpublishing_or_deleting_a_story_removes_it_from_the_index():
    kept, unpublished, deleted = (StoryPageFactory(title=f"Story {n}") for n in range(3))
    index(kept, unpublished, deleted)
    unpublished.unpublish()
    deleted_pk = deleted.pk
    deleted.delete()
    search_index_update(model_label=STORIES, pks=[unpublished.pk, deleted_pk])

    assert set(SearchEntry.objects.filter(kind="stories").values_list("record_id", flat=True)) == {
        kept.pk
    }


def test_drafts_are_never_indexed():
    draft = StoryPageFactory(live=False)
    index(draft)
    assert not SearchEntry.objects.filter(kind="stories").exists()


def test_the_search_engine_gets_the_story_document(settings):
    story = story_about_masks()
    with fake_elasticsearch(settings) as (_client, bulk):
        index(story)

    actions = bulk_actions(bulk)
    [action] = [a for a in actions if a["_index"] == "bac-stories"]
    source = action["_source"]
    assert source["kind"] == "stories"
    assert source["title"] == "Masks of the Grand Hall"
    assert "Sam Archivist" in source["names"]
    assert "papier-mâché" in source["description"]
    assert "theme|making|Making" in source["facets"]
    json.dumps(actions, default=str)


def test_the_story_kind_is_declared():
    kind = get_kind("stories")
    assert kind.label == "Stories" and kind.model_label == STORIES
