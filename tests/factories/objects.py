import factory
from django.utils.text import slugify

from objects.models import (
    CollectionObject,
    Maker,
    ObjectImage,
    ObjectMaker,
    ObjectType,
    Place,
    Production,
    Subject,
)

from .images import ArchiveImageFactory


class MakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Maker
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Maker {n}")


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Subject {n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Place {n}")


class ProductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Production

    title = factory.Sequence(lambda n: f"Production {n}")
    company = "Shunt"
    date_display = "1998"


class ObjectTypeFactory(factory.django.DjangoModelFactory):
    """A term of the object type vocabulary (migrations seed "poster", "letter"...)."""

    class Meta:
        model = ObjectType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Object type {n}")
    slug = factory.LazyAttribute(lambda term: slugify(term.name))


class CollectionObjectFactory(factory.django.DjangoModelFactory):
    """A published object. Pass live=False for a draft, and object_type as a
    term or the slug of one ("letter")."""

    class Meta:
        model = CollectionObject
        skip_postgeneration_save = True

    accession_number = factory.Sequence(lambda n: f"BAC-{n:05d}")
    title = factory.Sequence(lambda n: f"Poster for show {n}")
    object_type = factory.SubFactory(ObjectTypeFactory, name="Poster", slug="poster")
    description = "<p>A screen-printed poster.</p>"
    date_display = "1998"
    date_earliest = 1998
    date_latest = 1998
    live = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("object_type"), str):
            slug = kwargs["object_type"]
            kwargs["object_type"] = ObjectTypeFactory(
                slug=slug, name=slug.replace("-", " ").capitalize()
            )
        return kwargs

    @factory.post_generation
    def makers(self, create, extracted, **kwargs):
        for maker in extracted or []:
            ObjectMaker.objects.create(object=self, maker=maker)

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        if extracted:
            self.subjects.set(extracted)
            self.save()  # a cluster's many-to-many is written when the object is saved


class ObjectImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectImage

    object = factory.SubFactory(CollectionObjectFactory)
    image = factory.SubFactory(ArchiveImageFactory)
    alt_text = "A red poster with black lettering"
