"""The object page's own zoom viewer (OpenSeadragon 6, static/api/iiif-viewer.js) in
headless Chromium zooms a scan to the original's pixels: zooming in with the mouse
wheel fetches tiles at scale factor 1 from the site's image service."""

import pytest

from tests.browser.iiif_tiles import (
    full_resolution_tiles,
    record_iiif_responses,
    scanned_poster,
    zoom_in_until_full_resolution,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_object_page_viewer_zooms_to_a_full_resolution_tile(page, tmp_path):
    poster = scanned_poster(tmp_path)
    page.set_default_timeout(30_000)
    responses = record_iiif_responses(page)
    page.goto(poster.get_absolute_url())

    page.get_by_role("button", name="Zoom in on the images").click()
    page.wait_for_selector("#iiif-viewer[data-iiif-status=ready]")
    assert not full_resolution_tiles(responses)

    viewer = page.get_by_role("region", name="Zoomable view of the images")
    reached = zoom_in_until_full_resolution(page, viewer, responses)

    assert reached and all(status == 200 for _, status in reached), reached
    assert [r for r in responses if r[1] >= 400] == []
