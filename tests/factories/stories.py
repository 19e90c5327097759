import factory
from django.utils import timezone

from stories.models import StaffProfile, StoryIndexPage, StoryPage, Theme


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    name = factory.Sequence(lambda n: f"Author {n}")
    role = "Archivist"
    bio = "Looks after the archive."


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Theme {n}")


def object_block(obj, caption=""):
    return {"type": "collection_object", "value": {"object": obj.pk, "caption": caption}}


def gallery_block(objects, heading=""):
    return {
        "type": "object_gallery",
        "value": {"heading": heading, "objects": [obj.pk for obj in objects]},
    }


class StoryPageFactory(factory.django.DjangoModelFactory):
    """A story under the site's Stories page (made by a migration), published
    unless live=False. `body` takes StreamField JSON (see object_block)."""

    class Meta:
        model = StoryPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Story {n}")
    standfirst = "How a show came to be, told through its posters."
    publication_date = factory.LazyFunction(timezone.localdate)
    body = factory.LazyFunction(
        lambda: [{"type": "text", "value": "<p>Once upon a time in Battersea.</p>"}]
    )

    @classmethod
    def _create(cls, model_class, *args, live=True, authors=(), themes=(), **kwargs):
        parent = kwargs.pop("parent", None) or StoryIndexPage.objects.get()
        story = model_class(*args, **kwargs)
        story.authors.set(authors)
        story.themes.set(themes)
        parent.add_child(instance=story)
        if live:
            story.save_revision().publish()
        else:
            story.live = False
            story.save_revision()
            StoryPage.objects.filter(pk=story.pk).update(live=False)
        story.refresh_from_db()
        return story
