"""Story and call cards link with `{% pageurl %}`, and story pages build their links
with `get_url(request)`: both use the site's root paths kept on the request, so a page
reads them at most once, not once a link (each a cache read on Redis, as `page.url`
did). A page Wagtail serves finds them there already: each process keeps them under
the site generation (pages/site_root.py), so a second render reads them not at all."""

import pytest
from wagtail.models import Site

from stories.models import StoryIndexPage
from tests.factories.stories import StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_path_reads(monkeypatch):
    reads = []
    original = Site.get_site_root_paths

    def counting():
        reads.append(1)
        return original()

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(counting))
    return reads


def test_a_page_of_story_cards_reads_the_site_root_paths_once(client, root_path_reads):
    stories = [StoryPageFactory(title=f"Night shift {n}") for n in range(5)]

    listing = StoryIndexPage.objects.get().url
    html = client.get(listing).content.decode()

    for story in stories:
        assert f'href="{story.url}"' in html
    root_path_reads.clear()
    client.get(f"{listing}?utm_source=again")  # rendered again, not from the page cache
    assert root_path_reads == []


def test_a_story_page_reads_the_site_root_paths_once(client, root_path_reads):
    story = StoryPageFactory(title="The night the organ played")
    assert client.get(story.url).status_code == 200
    root_path_reads.clear()

    html = client.get(f"{story.url}?utm_source=again").content.decode()

    assert "The night the organ played" in html
    assert root_path_reads == []
