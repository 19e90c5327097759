"""The deep-zoom viewer in headless Chromium: it loads the object's IIIF
manifest from the running site and draws the image from the image service."""

import pytest

from tests.factories.objects import CollectionObjectFactory, ObjectImageFactory
from tests.objects.pages_support import ready_image

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def poster():
    obj = CollectionObjectFactory(title="Blue poster")
    image = ready_image(file__width=600, file__height=400, file__color="blue")
    ObjectImageFactory(object=obj, image=image, alt_text="A blue rectangle")
    return obj


def test_viewer_loads_the_manifest_and_shows_the_image(page, poster):
    manifests = []
    page.on("response", lambda r: manifests.append(r.status) if "manifest.json" in r.url else None)
    page.goto(poster.get_absolute_url())

    page.get_by_role("button", name="Zoom in on the images").click()

    viewer = page.get_by_role("region", name="Zoomable view of the images")
    page.wait_for_selector("#iiif-viewer[data-iiif-status=ready]")
    assert manifests == [200]
    assert viewer.is_visible()
    # The centre of the drawn canvas is the image's blue, not the empty background.
    page.wait_for_function(
        """() => {
            const canvas = document.querySelector('#iiif-viewer canvas');
            if (!canvas) return false;
            const [r, g, b, a] = canvas.getContext('2d').getImageData(
                canvas.width / 2, canvas.height / 2, 1, 1).data;
            return a > 0 && b > 150 && r < 80 && g < 80;
        }"""
    )


def test_without_javascript_the_page_keeps_its_images_and_manifest_link(
    browser,
    live_server,
    poster,
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    no_js_page = context.new_page()
    no_js_page.goto(poster.get_absolute_url())

    assert no_js_page.get_by_role("img", name="A blue rectangle").count() >= 1
    assert no_js_page.get_by_role("link", name="IIIF manifest").is_visible()
    assert no_js_page.get_by_role("button", name="Zoom in on the images").count() == 0
    context.close()


def test_api_docs_page_works_under_the_sites_content_security_policy(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/api/v1/docs")

    page.get_by_text("BAC Collection open data API").first.wait_for()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/objects/").count() >= 1
    assert violations == []
