"""The zoom viewer under the site's strict Content-Security-Policy: OpenSeadragon's
one <style> element is allowed by its hash, on object pages only."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

from objects.views import ZOOM_VIEWER_STYLE

from .pages_support import object_with_image

OPENSEADRAGON = Path(settings.BASE_DIR) / "static/vendor/openseadragon/openseadragon.min.js"


def test_the_allowed_hash_is_the_vendored_viewers_own_style():
    source = OPENSEADRAGON.read_text()
    # The text OpenSeadragon puts in its <style data-openseadragon-mobile-css>.
    (css,) = re.findall(
        r'data-openseadragon-mobile-css","true"\);\w+\.textContent="([^"]*)"', source
    )
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()

    assert ZOOM_VIEWER_STYLE["style-src"] == [f"'sha256-{digest}'"]


@pytest.mark.django_db
def test_only_object_pages_allow_it_and_nothing_inline_besides(client):
    obj = object_with_image()
    (allowed,) = ZOOM_VIEWER_STYLE["style-src"]

    object_policy = client.get(obj.get_absolute_url())["Content-Security-Policy"]
    home_policy = client.get("/")["Content-Security-Policy"]

    assert f"style-src 'self' {allowed}" in object_policy
    assert "unsafe-inline" not in object_policy
    assert allowed not in home_policy
