"""load_demo_stories: sample stories from the sample records only, labelled, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from home.models import HomeFeaturedStory
from objects.models import CollectionObject
from stories.models import StoryPage

pytestmark = pytest.mark.django_db


def run(command):
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_sample_stories_are_built_from_sample_records_and_labelled(client):
    run("load_demo_archive")

    output = run("load_demo_stories")

    stories = list(StoryPage.objects.live())
    assert 2 <= len(stories) <= 3, output
    sample_ids = set(
        CollectionObject.objects.filter(is_sample_content=True).values_list("pk", flat=True)
    )
    for story in stories:
        assert story.is_sample_content
        assert story.title.startswith("Sample story:")
        referenced = {
            obj.pk
            for block in story.body
            for obj in (
                [block.value["object"]]
                if block.block_type == "collection_object"
                else block.value["objects"]
                if block.block_type == "object_gallery"
                else []
            )
        }
        assert referenced and referenced <= sample_ids
        html = client.get(story.url).content.decode()
        assert "This is a sample story." in html
        assert "Sample story" in html
    assert HomeFeaturedStory.objects.count() == len(stories)
    obj = CollectionObject.objects.get(pk=next(iter(referenced)))
    assert "Featured in" in client.get(obj.get_absolute_url()).content.decode()


def test_loading_the_sample_stories_again_changes_nothing():
    run("load_demo_archive")
    run("load_demo_stories")
    revisions = StoryPage.objects.values_list("pk", "latest_revision_id")

    assert "nothing to create" in run("load_demo_stories")

    assert list(StoryPage.objects.values_list("pk", "latest_revision_id")) == list(revisions)


def test_without_sample_records_no_story_is_made():
    assert "nothing to create" in run("load_demo_stories")
    assert not StoryPage.objects.exists()
