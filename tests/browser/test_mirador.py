"""A IIIF client nobody here wrote: Mirador 4, as the npm registry ships it
(`npm ci` installs it in node_modules/; never vendored), opens an object's
manifest from the running site in headless Chromium, and zooming in with the
mouse wheel reaches the original's pixels: a tile at scale factor 1 is asked
for and answered 200."""

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import PROJECT_ROOT

from .iiif_tiles import (
    full_resolution_tiles,
    record_iiif_responses,
    scanned_poster,
    zoom_in_until_full_resolution,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MIRADOR_BUILD = PROJECT_ROOT / "node_modules" / "mirador" / "dist"
TEST_PAGE = Path(__file__).parent / "mirador"


@pytest.fixture
def mirador_page_served(settings):
    """Mirador's build and the test page, served by the test server as static files."""
    if not (MIRADOR_BUILD / "mirador.min.js").is_file():
        pytest.skip("Mirador is not installed: run `npm ci` (.ci/run does)")
    settings.STATICFILES_DIRS = [
        *settings.STATICFILES_DIRS,
        ("mirador", MIRADOR_BUILD),
        ("mirador-test", TEST_PAGE),
    ]


def test_mirador_zooms_the_manifest_to_a_full_resolution_tile(
    browser,
    live_server,
    mirador_page_served,
    tmp_path,
):
    poster = scanned_poster(tmp_path)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    responses = record_iiif_responses(page)
    manifest = f"{live_server.url}/iiif/objects/{poster.slug}/manifest.json"

    page.goto(f"/static/mirador-test/index.html?manifest={quote(manifest, safe='')}")
    page.locator(".openseadragon-canvas canvas").first.wait_for()
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some(e => e.name.includes('/iiif/image/') && e.name.endsWith('default.jpg'))"
    )
    assert not full_resolution_tiles(responses)  # the whole poster fits: a low level

    reached = zoom_in_until_full_resolution(
        page, page.locator(".openseadragon-canvas").first, responses
    )

    assert reached and all(status == 200 for _, status in reached), reached
    assert [r for r in responses if r[1] >= 400] == []
    assert (manifest, 200) in responses
    context.close()
