"""/media/ answers only image renditions, by file name, in production (SERVE_MEDIA)
and in development (DEBUG) alike: no path from the request reaches another file."""

from urllib.parse import quote

import pytest

from images.models import ArchiveRendition
from images.services import archive_image_process
from tests.factories.images import ArchiveImageFactory

pytestmark = pytest.mark.django_db


def processed_scan():
    image = ArchiveImageFactory()
    archive_image_process(image_id=image.pk)
    return image


def rendition_url(rendition) -> str:
    return "/media/" + rendition.file.name


def traversals(target: str) -> list[str]:
    """Ways of asking /media/images/ for `target`, a path relative to MEDIA_ROOT."""
    slashed = target.replace("/", "%2f")
    return [
        f"/media/images/..%2f{slashed}",
        f"/media/images/%2e%2e/{target}",
        f"/media/images/%2E%2E%2F{slashed}",
        "/media/images/..\\" + target.replace("/", "\\"),
        f"/media/images/%252e%252e%252f{quote(slashed)}",
        f"/media/images/..%252f{quote(slashed)}",
        f"/media/images/../{target}",
        f"/media/{target}",
        f"/media//{target}",
    ]


def test_a_rendition_is_served_by_its_name_and_nothing_else_is(
    client, media_mode, media_root, private_media_root
):
    scan = processed_scan()
    rendition = ArchiveRendition.objects.filter(image=scan, filter_spec__contains="jpeg").first()
    # Files that must never be served, planted where a traversal would look: an
    # original and a recording left in MEDIA_ROOT (an install not yet migrated),
    # and a stray file in images/ that is no rendition.
    for planted in ("original_images/secret.jpg", "memories/audio/secret.mp3", "images/stray.jpg"):
        (media_root / planted).parent.mkdir(parents=True, exist_ok=True)
        (media_root / planted).write_bytes(b"private")
    name = rendition.file.name.removeprefix("images/")

    served = client.get(rendition_url(rendition))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    # A staff scan's rendition names change whenever their content does.
    assert "max-age=31536000" in served["Cache-Control"]
    assert "immutable" in served["Cache-Control"]
    assert b"".join(served.streaming_content) == (media_root / rendition.file.name).read_bytes()

    refused = [
        *traversals("original_images/secret.jpg"),
        *traversals("memories/audio/secret.mp3"),
        *traversals(scan.file.name),  # the real original, in private storage
        f"/media/images/..%2f..%2f{private_media_root.name}%2f{quote(scan.file.name, safe='')}",
        "/media/" + quote(str(private_media_root / scan.file.name)),
        "/media/images/" + quote(str(media_root / rendition.file.name)),
        "/media/images/stray.jpg",
        f"/media/images/sub/{name}",
        f"/media/images/./{name}",
        f"/media/images/{name}%00",
        f"/media/images/{name}%00.jpg",
        f"/media/images/{name}/",
        f"/media/IMAGES/{name}",
        "/media/images/",
        "/media/",
    ]
    answered = {url: client.get(url).status_code for url in refused}
    assert answered == dict.fromkeys(refused, 404)
