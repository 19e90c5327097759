import io

import factory
from PIL import Image as PILImage

from images.models import ArchiveImage


def jpeg_bytes(width=640, height=480, colour=(200, 30, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class ArchiveImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArchiveImage

    title = factory.Sequence(lambda n: f"Scan {n}")
    description = factory.Faker("sentence")
    file = factory.django.ImageField(width=640, height=480, color="blue", format="JPEG")
