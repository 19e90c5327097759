"""Sample stories for `make run`, built only from the sample records.

Every sentence is either a plain statement that this is sample content or a
field read from the catalogue records themselves (titles, makers, dates,
materials): nothing is claimed about Battersea Arts Centre or its archive.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from home.models import HomeFeaturedStory, HomePage
from objects.models import CollectionObject, Maker
from stories.models import StoryIndexPage, StoryPage, Theme

SAMPLE_THEME = "Sample content"
NOTICE = (
    "<p><b>This is a sample story.</b> It was written to show how stories work on this "
    "site, using sample records from Tate's openly licensed collection data. None of the "
    "objects in it belong to Battersea Arts Centre, and it says nothing about BAC's history.</p>"
)
GALLERY_SIZE = 6


@dataclass
class SampleStory:
    slug: str
    title: str
    standfirst: str
    objects: list[CollectionObject]
    body: list[dict]


def _sample_objects():
    return (
        CollectionObject.objects.filter(is_sample_content=True, live=True)
        .select_related("object_type")
        .prefetch_related("object_images__image", "object_makers__maker")
        .order_by("date_earliest", "pk")
    )


def _describe(obj: CollectionObject) -> str:
    parts = [obj.object_type.name]
    if obj.date_display:
        parts.append(obj.date_display)
    if obj.materials:
        parts.append(obj.materials.lower())
    return ", ".join(parts)


def _object(obj):
    return {"type": "collection_object", "value": {"object": obj.pk, "caption": _describe(obj)}}


def _gallery(objects, heading):
    return {
        "type": "object_gallery",
        "value": {"heading": heading, "objects": [obj.pk for obj in objects]},
    }


def _timeline(objects, heading):
    entries = [
        {"date": obj.date_display, "title": obj.title, "text": _describe(obj)}
        for obj in objects
        if obj.date_display
    ]
    return {"type": "timeline", "value": {"heading": heading, "entries": entries}}


def _text(html):
    return {"type": "text", "value": html}


def one_makers_work() -> SampleStory | None:
    maker = (
        Maker.objects.annotate(
            n=Count(
                "object_makers",
                filter=Q(
                    object_makers__object__is_sample_content=True,
                    object_makers__object__live=True,
                ),
            )
        )
        .filter(n__gte=3)
        .order_by("-n", "name")
        .first()
    )
    if maker is None:
        return None
    objects = list(_sample_objects().filter(object_makers__maker=maker).distinct())
    first, rest = objects[0], objects[1 : 1 + GALLERY_SIZE]
    body = [
        _text(NOTICE),
        _text(
            f"<h2>{len(objects)} records by one maker</h2><p>The sample records include "
            f"{len(objects)} works catalogued under {maker.name}. The earliest by date is "
            f"this one.</p>"
        ),
        _object(first),
    ]
    if len(rest) >= 2:
        body.append(_gallery(rest, f"More by {maker.name}"))
    body.append(_timeline(objects[: GALLERY_SIZE + 1], "In date order"))
    return SampleStory(
        slug="sample-story-one-makers-work",
        title=f"Sample story: the work of {maker.name}",
        standfirst="A sample story that follows one maker through the sample records, "
        "oldest first.",
        objects=objects,
        body=body,
    )


def records_with_pictures() -> SampleStory | None:
    objects = [obj for obj in _sample_objects() if obj.primary_image is not None]
    if len(objects) < 3:
        return None
    first, rest = objects[0], objects[1 : 1 + GALLERY_SIZE]
    return SampleStory(
        slug="sample-story-records-with-pictures",
        title="Sample story: records with pictures",
        standfirst="A sample story made from the sample records that have images, "
        "to show object cards, a gallery and a timeline.",
        objects=objects,
        body=[
            _text(NOTICE),
            _text(
                f"<p>Of the sample records, {len(objects)} come with an image. Each card "
                f"below links to the object's own page, which lists this story in return.</p>"
            ),
            _object(first),
            _gallery(rest, "The others with images"),
            _timeline(objects, "By date"),
        ],
    )


def one_type_over_time() -> SampleStory | None:
    objects = list(_sample_objects().filter(object_type__slug="print", date_earliest__isnull=False))
    if len(objects) < 3:
        return None
    picked = objects[:: max(1, len(objects) // GALLERY_SIZE)][:GALLERY_SIZE]
    return SampleStory(
        slug="sample-story-prints-over-time",
        title="Sample story: prints over time",
        standfirst="A sample story that walks through the printed works in the sample "
        "records, from the oldest to the newest.",
        objects=picked,
        body=[
            _text(NOTICE),
            _text(f"<p>The sample records hold {len(objects)} prints with a known date.</p>"),
            _gallery(picked, "Prints, oldest first"),
            _timeline(picked, "Their dates"),
        ],
    )


def _hero(story: SampleStory) -> tuple:
    for obj in story.objects:
        image = obj.primary_image
        if image is not None:
            return image.image, image.alt
    return None, ""


@transaction.atomic
def sample_stories_load() -> list[str]:
    """Create the sample stories that do not exist yet; return their titles.
    Safe to run again: existing sample stories are left as they are."""
    index = StoryIndexPage.objects.first()
    if index is None:
        return []
    theme, _ = Theme.objects.get_or_create(
        name=SAMPLE_THEME,
        defaults={"description": "Stories written to demonstrate the site from sample records."},
    )
    created = []
    for build in (one_makers_work, records_with_pictures, one_type_over_time):
        sample = build()
        if sample is None or StoryPage.objects.filter(slug=sample.slug).exists():
            continue
        hero_image, hero_alt = _hero(sample)
        story = StoryPage(
            title=sample.title,
            slug=sample.slug,
            standfirst=sample.standfirst,
            body=sample.body,
            hero_image=hero_image,
            hero_alt_text=hero_alt,
            is_sample_content=True,
        )
        story.themes.set([theme])
        index.add_child(instance=story)
        story.save_revision().publish()
        created.append(story)
    home = HomePage.objects.first()
    if home is not None and not HomeFeaturedStory.objects.filter(page=home).exists():
        for n, story in enumerate(created):
            HomeFeaturedStory.objects.create(page=home, story=story, sort_order=n)
    return [story.title for story in created]
