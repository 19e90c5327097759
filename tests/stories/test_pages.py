import json
import re

import pytest
from django.test import RequestFactory

from stories.models import StoryIndexPage
from tests.embeds import KNOWN_VIDEO_URL
from tests.factories.stories import (
    StaffProfileFactory,
    StoryPageFactory,
    ThemeFactory,
    gallery_block,
    object_block,
)
from tests.objects.pages_support import object_with_image, ready_image

from .support import queries_for, story_with_objects

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def every_block(objects, image):
    first, *rest = objects
    return [
        {"type": "text", "value": "<h2>Before the fire</h2><p>The <b>Grand Hall</b> was full.</p>"},
        object_block(first, caption="The poster that started it"),
        gallery_block(rest, heading="The season's posters"),
        {
            "type": "image",
            "value": {
                "image": image.pk,
                "alt_text": "An empty stage under work lights",
                "caption": "The stage before the get-in",
                "credit": "Jo Photographer",
            },
        },
        {
            "type": "pull_quote",
            "value": {"quote": "We built it in a week.", "attribution": "A stage manager"},
        },
        {"type": "video", "value": {"embed": KNOWN_VIDEO_URL, "caption": "The hall in 1998"}},
        {
            "type": "timeline",
            "value": {
                "heading": "How it happened",
                "entries": [
                    {
                        "date": "Spring 1998",
                        "title": "Rehearsals",
                        "text": "In the Council Chamber.",
                    },
                    {"date": "June 1998", "title": "Opening night", "text": ""},
                ],
            },
        },
    ]


def test_a_story_renders_every_block(client, settings):
    settings.VIDEO_EMBED_ORIGINS = ["https://video.example"]
    objects = [object_with_image(title=f"Poster {n}") for n in range(3)]
    image = ready_image(title="Stage")
    author = StaffProfileFactory(name="Sam Archivist", role="Archivist", bio="Keeps the posters.")
    theme = ThemeFactory(name="Protest")
    story = StoryPageFactory(
        title="A season in posters",
        standfirst="Three posters, one summer.",
        body=every_block(objects, image),
        authors=[author],
        themes=[theme],
        hero_image=ready_image(title="Hero"),
        hero_alt_text="A crowd outside the Town Hall",
    )

    response = client.get(story.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="story-title">A season in posters</h1>' in html
    assert "Three posters, one summer." in html
    assert 'alt="A crowd outside the Town Hall"' in html
    assert "<h2>Before the fire</h2>" in html and "<b>Grand Hall</b>" in html
    assert "The poster that started it" in html
    assert "The season&#x27;s posters" in html
    for obj in objects:
        assert f'href="{obj.get_absolute_url()}"' in html
    assert 'alt="An empty stage under work lights"' in html
    assert "Credit: Jo Photographer" in html
    assert "We built it in a week." in html and "A stage manager" in html
    assert 'src="https://video.example/embed/bac-1998"' in html
    assert "Spring 1998" in html and "Opening night" in html
    assert "Sam Archivist" in html and "Keeps the posters." in html
    assert f'href="/stories/?theme={theme.slug}"' in html
    assert "min read" in html
    assert "Objects in this story" in html


def test_a_player_the_security_policy_would_block_is_a_link_instead(client):
    # By default no video origin is allowed as a frame: an iframe would be an empty box.
    story = StoryPageFactory(
        body=[{"type": "video", "value": {"embed": KNOWN_VIDEO_URL, "caption": ""}}]
    )

    html = client.get(story.url).content.decode()

    assert "<iframe" not in html
    assert f'Watch the video: <a href="{KNOWN_VIDEO_URL}">{KNOWN_VIDEO_URL}</a>' in html


def test_a_video_that_cannot_be_fetched_shows_its_link(client):
    url = "https://video.example/watch/removed"
    story = StoryPageFactory(body=[{"type": "video", "value": {"embed": url, "caption": ""}}])

    response = client.get(story.url)

    assert response.status_code == 200
    assert f'Watch the video: <a href="{url}">{url}</a>' in response.content.decode()


def test_a_video_provider_failing_in_a_new_way_still_shows_the_link(client, monkeypatch):
    import wagtail.embeds.embeds

    def explode(*args, **kwargs):
        raise ConnectionResetError("provider went away")

    monkeypatch.setattr(wagtail.embeds.embeds, "get_finder_for_embed", explode)
    story = StoryPageFactory(
        body=[{"type": "video", "value": {"embed": "https://video.example/x", "caption": ""}}]
    )

    response = client.get(story.url)

    assert response.status_code == 200
    assert "Watch the video:" in response.content.decode()


def test_unpublished_and_deleted_objects_drop_out_of_the_story(client):
    kept, unpublished, deleted = (object_with_image(title=t) for t in ("Kept", "Hidden", "Gone"))
    story = StoryPageFactory(
        body=[
            object_block(unpublished),
            object_block(deleted),
            gallery_block([kept, unpublished, deleted]),
        ]
    )
    unpublished.unpublish()
    deleted.delete()

    response = client.get(story.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert kept.get_absolute_url() in html
    assert "Hidden" not in html
    assert "Gone" not in html


def test_story_structured_data_and_share_card(client):
    author = StaffProfileFactory(name="Sam Archivist", role="Archivist")
    story = StoryPageFactory(
        title="A season in posters",
        standfirst="Three posters, one summer.",
        authors=[author],
        hero_image=ready_image(),
        hero_alt_text="A crowd",
    )

    html = client.get(story.url).content.decode()

    data = json_ld(html)
    assert data["@type"] == "Article"
    assert data["headline"] == "A season in posters"
    assert data["description"] == "Three posters, one summer."
    assert data["author"] == [{"@type": "Person", "name": "Sam Archivist", "jobTitle": "Archivist"}]
    assert data["url"] == f"http://testserver{story.url}"
    assert data["datePublished"] == story.publication_date.isoformat()
    assert data["image"].startswith("http://testserver/media/images/")
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="A season in posters">' in html
    assert '<meta property="og:image" content="http://testserver/media/images/' in html
    assert '<meta property="og:image:alt" content="A crowd">' in html


def test_a_story_needs_alt_text_for_its_hero_image():
    from django.core.exceptions import ValidationError

    story = StoryPageFactory.build(hero_image=ready_image(), hero_alt_text="")
    with pytest.raises(ValidationError) as error:
        story.clean()
    assert "hero_alt_text" in error.value.message_dict


def test_reading_time_comes_from_the_text():
    words = " ".join(["word"] * 450)
    story = StoryPageFactory(body=[{"type": "text", "value": f"<p>{words}</p>"}])
    assert story.reading_time == 3


# --- Links both ways -----------------------------------------------------------


def test_an_object_page_lists_the_published_stories_featuring_it(client):
    obj = object_with_image(title="Masque poster")
    other = object_with_image(title="Other poster")
    in_card = StoryPageFactory(title="Story with a card", body=[object_block(obj)])
    in_gallery = StoryPageFactory(title="Story with a gallery", body=[gallery_block([other, obj])])
    StoryPageFactory(title="Story about something else", body=[object_block(other)])
    StoryPageFactory(title="Draft story", body=[object_block(obj)], live=False)

    html = client.get(obj.get_absolute_url()).content.decode()

    assert "Featured in" in html
    assert f'href="{in_card.url}"' in html
    assert f'href="{in_gallery.url}"' in html
    assert "Story about something else" not in html
    assert "Draft story" not in html


def test_unpublishing_or_deleting_a_story_removes_its_links(client):
    obj = object_with_image()
    unpublished = StoryPageFactory(title="Soon unpublished", body=[object_block(obj)])
    deleted = StoryPageFactory(title="Soon deleted", body=[object_block(obj)])
    assert "Soon unpublished" in client.get(obj.get_absolute_url()).content.decode()

    unpublished.unpublish()
    deleted.delete()

    html = client.get(obj.get_absolute_url()).content.decode()
    assert "Soon unpublished" not in html
    assert "Soon deleted" not in html
    assert "Featured in" not in html


def test_links_follow_the_published_version_not_a_draft(client):
    obj = object_with_image()
    later = object_with_image()
    story = StoryPageFactory(title="Changing story", body=[object_block(obj)])

    story.body = [object_block(later)]
    story.save_revision()  # a draft: the public still sees the first object

    assert "Changing story" in client.get(obj.get_absolute_url()).content.decode()
    assert "Changing story" not in client.get(later.get_absolute_url()).content.decode()

    story.get_latest_revision().publish()

    assert "Changing story" not in client.get(obj.get_absolute_url()).content.decode()
    assert "Changing story" in client.get(later.get_absolute_url()).content.decode()


# --- Listing and feed ---------------------------------------------------------


def test_story_listing_filters_by_theme_and_paginates(client):
    protest, building = ThemeFactory(name="Protest"), ThemeFactory(name="The building")
    for n in range(14):
        StoryPageFactory(title=f"Protest story {n}", themes=[protest])
    StoryPageFactory(title="Building story", themes=[building])
    StoryPageFactory(title="Draft building story", themes=[building], live=False)

    first = client.get("/stories/").content.decode()
    assert "15 stories" in first
    assert 'href="?page=2"' in first

    filtered = client.get("/stories/", {"theme": building.slug}).content.decode()
    assert "Building story" in filtered
    assert "Protest story" not in filtered
    assert "Draft building story" not in filtered
    assert "1 story" in filtered

    second = client.get("/stories/", {"theme": protest.slug, "page": 2}).content.decode()
    assert second.count('class="story-card"') == 2


def test_an_unknown_theme_shows_an_error_not_a_crash(client):
    StoryPageFactory(title="Any story")
    response = client.get("/stories/", {"theme": "no-such-theme", "page": "x"})
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()


def test_the_feed_lists_published_stories(client):
    StoryPageFactory(title="Published story", authors=[StaffProfileFactory(name="Sam")])
    StoryPageFactory(title="Draft story", live=False)

    response = client.get("/stories/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Published story</title>" in body
    assert "<name>Sam</name>" in body
    assert "Draft story" not in body


# --- Query counts -------------------------------------------------------------


def test_a_story_page_costs_the_same_queries_for_1_or_30_objects(client):
    small, _ = story_with_objects(1, gallery_size=2)
    large, _ = story_with_objects(30, gallery_size=30)
    assert queries_for(client, small.url) == queries_for(client, large.url)


def test_the_listing_costs_the_same_queries_for_1_or_12_stories(client):
    StoryPageFactory(hero_image=ready_image(), hero_alt_text="x")
    one = queries_for(client, "/stories/")
    for _ in range(11):
        StoryPageFactory(hero_image=ready_image(), hero_alt_text="x")
    assert queries_for(client, "/stories/") == one


def test_an_object_page_costs_the_same_queries_featured_in_1_or_12_stories(client):
    obj = object_with_image()
    StoryPageFactory(body=[object_block(obj)], hero_image=ready_image(), hero_alt_text="x")
    one = queries_for(client, obj.get_absolute_url())
    for _ in range(11):
        StoryPageFactory(body=[object_block(obj)], hero_image=ready_image(), hero_alt_text="x")
    assert queries_for(client, obj.get_absolute_url()) == one


def test_the_stories_index_is_made_by_a_migration():
    index = StoryIndexPage.objects.get()
    assert index.live and index.url == "/stories/"


def test_each_story_shows_its_own_authors_and_themes(client):
    """Their queries are compiled once per process (foundation/compiled_queries.py)
    and run with each story's id."""
    first = StoryPageFactory(
        authors=[StaffProfileFactory(name="Sam Archivist")], themes=[ThemeFactory(name="Protest")]
    )
    second = StoryPageFactory(
        authors=[StaffProfileFactory(name="Kit Curator")], themes=[ThemeFactory(name="Building")]
    )

    first_html = client.get(first.url).content.decode()
    second_html = client.get(second.url).content.decode()

    assert "Sam Archivist" in first_html and "Kit Curator" not in first_html
    assert "Kit Curator" in second_html and "Sam Archivist" not in second_html
    assert "?theme=protest" in first_html and "?theme=building" not in first_html
    assert "?theme=building" in second_html and "?theme=protest" not in second_html


def test_a_preview_shows_the_drafts_authors_and_themes(admin_user):
    story = StoryPageFactory(
        authors=[StaffProfileFactory(name="Sam Archivist")], themes=[ThemeFactory(name="Protest")]
    )
    story.authors = [StaffProfileFactory(name="Kit Curator")]
    story.themes = [ThemeFactory(name="Building")]
    request = RequestFactory().get("/")
    request.user = admin_user

    html = story.make_preview_request(original_request=request).content.decode()

    assert "Kit Curator" in html and "Sam Archivist" not in html
    assert "?theme=building" in html and "?theme=protest" not in html
