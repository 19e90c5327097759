"""The {% picture %} and {% social_image_url %} tags, as public templates use them."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from images.models import ArchiveImage, ArchiveRendition
from images.selectors import picture_renditions_prefetch
from images.services import archive_image_process
from tests.factories.images import ArchiveImageFactory

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load archive_images %}" + source).render(Context(context))


def ready_image(**kwargs):
    image = ArchiveImageFactory(**kwargs)
    archive_image_process(image_id=image.pk)
    image.refresh_from_db()
    assert image.processing_status == "ready", image.processing_error
    return image


def test_a_ready_image_renders_a_responsive_picture():
    image = ready_image(file__width=1400, file__height=1000)

    html = render('{% picture image "listing" alt="A red poster" %}', image=image)

    assert html.count("<source") == 2
    assert 'type="image/avif"' in html and 'type="image/webp"' in html
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'alt="A red poster"' in img
    assert 'width="960" height="686"' in img
    assert 'loading="lazy"' in img
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    assert [c.split()[1] for c in srcset.split(", ")] == ["320w", "480w", "640w", "960w"]
    assert 'sizes="(min-width: 64em)' in img
    assert 'data-placeholder-colour="#' in img
    assert 'data-placeholder-image="data:image/webp;base64,' in img
    assert "style=" not in html, "the Content-Security-Policy forbids inline styles"


def test_the_detail_picture_loads_eagerly_and_sizes_can_be_given():
    image = ready_image()

    html = render('{% picture image "detail" alt="" sizes="50vw" %}', image=image)

    assert 'loading="lazy"' not in html
    assert 'fetchpriority="high"' in html
    assert 'sizes="50vw"' in html
    assert 'alt=""' in html


def test_alt_defaults_to_the_description_and_is_escaped():
    image = ready_image(description='Poster "Hamlet" <b>1998</b>')

    html = render('{% picture image "thumbnail" %}', image=image)

    assert 'alt="Poster &quot;Hamlet&quot; &lt;b&gt;1998&lt;/b&gt;"' in html


@pytest.mark.parametrize("status", ["pending", "processing", "failed"])
def test_an_image_that_is_not_ready_shows_a_placeholder_with_its_alt_text(status):
    image = ArchiveImageFactory(processing_status=status)

    html = render('{% picture image "detail" alt="Programme cover, 1985" %}', image=image)

    assert "<img" not in html
    assert "Programme cover, 1985" in html
    assert "Image not available yet" in html
    assert 'data-aspect-ratio="640 / 480"' in html
    assert not ArchiveRendition.objects.exists(), "nothing is generated on the request path"


def test_missing_renditions_never_trigger_generation_on_the_request_path():
    image = ready_image()
    ArchiveRendition.objects.all().delete()

    html = render('{% picture image "listing" alt="Flyer" %}', image=image)

    assert "Image not available yet" in html
    assert not ArchiveRendition.objects.exists()


def test_no_image_renders_a_placeholder_rather_than_failing():
    assert "No picture" in render('{% picture image "listing" alt="No picture" %}', image=None)
    assert render("{% social_image_url image %}", image=None) == ""


def test_a_listing_of_prefetched_images_costs_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    for _ in range(6):
        ready_image()

    with django_assert_max_num_queries(2):
        images = ArchiveImage.objects.prefetch_related(
            picture_renditions_prefetch(usages=("listing",))
        )
        html = render(
            '{% for image in images %}{% picture image "listing" alt="x" %}{% endfor %}',
            images=images,
        )

    assert html.count("<picture") == 6


def test_social_image_url_is_the_absolute_1200x630_jpeg():
    image = ready_image(file__width=2400, file__height=1600)
    request = RequestFactory().get("/", HTTP_HOST="localhost")

    url = render("{% social_image_url image %}", image=image, request=request)

    assert url.startswith("http://localhost/media/images/")
    assert "fill-1200x630" in url and url.endswith(".jpg")
    rendition = ArchiveRendition.objects.get(filter_spec__startswith="fill-1200x630")
    assert (rendition.width, rendition.height) == (1200, 630)


def test_social_image_url_is_empty_until_the_image_is_ready():
    image = ArchiveImageFactory(processing_status="pending")

    assert render("{% social_image_url image %}", image=image) == ""


def test_picture_urls_are_the_renditions_and_follow_media_url(settings):
    image = ready_image(file__width=1400, file__height=1000)
    renditions = {r.url for r in ArchiveRendition.objects.filter(image=image)}

    html = render('{% picture image "listing" alt="" %}', image=image)
    urls = {c.split()[0] for s in re.findall(r'srcset="([^"]+)"', html) for c in s.split(", ")}
    assert urls and urls <= renditions

    settings.MEDIA_URL = "/archive-media/"
    moved = render('{% picture image "listing" alt="" %}', image=image)
    assert '"/archive-media/' in moved
    assert not any(f"{url} " in moved for url in urls), "an old URL was kept"
