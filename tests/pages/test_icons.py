"""The site's icon and web app manifest: /favicon.ico answers, every page links its
icons and manifest, and every icon the manifest names is a file we ship."""

import json

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_with_an_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_pages_link_their_icons_and_manifest(client):
    html = client.get("/").content.decode()

    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'type="image/svg+xml"' in html and "icons/icon.svg" in html
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


def test_the_manifest_names_icons_that_exist(client):
    response = client.get("/manifest.webmanifest")
    manifest = json.loads(response.content)

    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["short_name"] == "BAC Collection" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
