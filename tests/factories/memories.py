import factory
from django.utils import timezone

from memories.models import AgeGroup, ConsentWording, Licence, Memory, MemoryContact, Relationship


def current_wording():
    return ConsentWording.objects.order_by("-version").first()


class MemoryFactory(factory.django.DjangoModelFactory):
    """An approved memory shared online. Pass status=Memory.Status.PENDING for the queue."""

    class Meta:
        model = Memory
        skip_postgeneration_save = True

    text = factory.Sequence(
        lambda n: f"I remember the night of show {n}: the smell of the old hall."
    )
    when_happened = "1998"
    display_name = factory.Sequence(lambda n: f"Contributor {n}")
    relationship = Relationship.AUDIENCE
    status = Memory.Status.APPROVED
    approved_at = factory.LazyFunction(timezone.now)
    consent_wording = factory.LazyFunction(current_wording)
    consented_at = factory.LazyFunction(timezone.now)
    licence = Licence.CC_BY
    age_group = AgeGroup.ADULT
    contact = factory.RelatedFactory(
        "tests.factories.memories.MemoryContactFactory", factory_related_name="memory"
    )


class MemoryContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemoryContact

    email = factory.Sequence(lambda n: f"person{n}@example.org")
