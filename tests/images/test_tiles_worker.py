"""The tile pyramid built by a real Celery worker on the `images` queue (Redis +
PostgreSQL; skipped without them), after the derivatives, as an upload's jobs run."""

import pytest

from images.deep_zoom import image_tiles_folder
from images.models import ArchiveImage
from images.services import archive_image_from_path
from tests.images import files
from tests.worker import wait_until

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_worker_builds_the_pyramid_once_the_derivatives_are_ready(celery_worker, tmp_path):
    path = tmp_path / "scan.jpg"
    path.write_bytes(files.jpeg_with_gps(3000, 2000, orientation=6))

    image = archive_image_from_path(path=path, title="Scan")

    pyramid = wait_until(lambda: ArchiveImage.objects.get(pk=image.pk).tile_pyramid, timeout=120)
    assert (pyramid["width"], pyramid["height"]) == (2000, 3000)  # upright
    assert pyramid["scale_factors"] == [1, 2, 4, 8]
    folder = image_tiles_folder(image.pk)
    # One finished pyramid, no build folder left: 4 x 6 tiles at full size.
    assert [p.name for p in folder.iterdir()] == [pyramid["key"]]
    assert len(list((folder / pyramid["key"] / "1").iterdir())) == 24
    assert "build_tile_pyramid_task" in celery_worker.log()
    assert ArchiveImage.objects.get(pk=image.pk).processing_status == "ready"
