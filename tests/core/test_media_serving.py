import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import bac_collection.urls


@pytest.fixture
def served_media(settings, media_root):
    (media_root / "images").mkdir(parents=True)
    (media_root / "original_images").mkdir(parents=True)
    (media_root / "images" / "poster.max-800x800.jpg").write_bytes(b"derivative")
    (media_root / "original_images" / "poster.jpg").write_bytes(b"original with GPS")
    return media_root


def reload_urls():
    import importlib

    clear_url_caches()
    importlib.reload(bac_collection.urls)


@pytest.fixture
def serve_media_in_production():
    with override_settings(DEBUG=False, SERVE_MEDIA=True):
        reload_urls()
        yield
    reload_urls()


@pytest.mark.django_db
def test_serve_media_exposes_derivatives_but_never_originals(
    client, served_media, serve_media_in_production
):
    derivative = client.get("/media/images/poster.max-800x800.jpg")
    assert derivative.status_code == 200
    assert b"".join(derivative.streaming_content) == b"derivative"

    assert client.get("/media/original_images/poster.jpg").status_code == 404
