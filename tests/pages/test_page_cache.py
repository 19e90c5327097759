"""Whole-page caching for anonymous visitors and its invalidation."""

import pytest
from django.urls import reverse

from foundation.page_cache import page_cache_bump, page_cache_generation
from objects.view_counts import KEY_PREFIX
from tests.factories.objects import CollectionObjectFactory, MakerFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_page_is_served_from_the_cache_the_second_time(
    client, django_assert_num_queries
):
    url = reverse("objects:browse")
    assert client.get(url)["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response["X-Page-Cache"] == "hit"
    assert response["Content-Security-Policy"], "headers are added to cached pages too"


def test_editing_publishing_and_unpublishing_an_object_refreshes_the_pages_that_show_it(client):
    obj = CollectionObjectFactory(title="Old title")
    url = obj.get_absolute_url()
    client.get(url)
    client.get(reverse("objects:browse"))

    obj.title = "New title"
    obj.save()
    assert "New title" in client.get(url).content.decode()

    obj.save_revision().publish()
    assert client.get(url)["X-Page-Cache"] == "miss"

    obj.refresh_from_db()
    obj.unpublish()
    assert client.get(url).status_code == 404
    assert "New title" not in client.get(reverse("objects:browse")).content.decode()


def test_a_new_maker_name_shows_at_once(client):
    maker = MakerFactory(name="Kneehigh")
    client.get(maker.get_absolute_url())

    maker.name = "Kneehigh Theatre"
    maker.save()

    assert "Kneehigh Theatre" in client.get(maker.get_absolute_url()).content.decode()


def test_publishing_a_page_refreshes_the_cache(client):
    from pages.models import SitePage

    about = SitePage.objects.get(slug="about")
    client.get("/about/")
    about.title = "About this archive"
    about.save_revision().publish()

    assert "About this archive" in client.get("/about/").content.decode()


def test_signed_in_staff_always_get_fresh_pages(admin_client):
    url = reverse("objects:browse")
    admin_client.get(url)

    assert "X-Page-Cache" not in admin_client.get(url)


def test_pages_that_must_not_be_cached_are_not(client):
    CollectionObjectFactory()
    assert "X-Page-Cache" not in client.get(reverse("objects:random"))
    assert "X-Page-Cache" not in client.get("/no-such-page/")


def test_a_cached_object_page_still_counts_the_view(client):
    from django.core.cache import cache

    obj = CollectionObjectFactory()
    client.get(obj.get_absolute_url())
    assert client.get(obj.get_absolute_url())["X-Page-Cache"] == "hit"

    assert cache.get(f"{KEY_PREFIX}{obj.pk}") == 2


def test_the_generation_survives_an_evicted_counter():
    from django.core.cache import cache

    first = page_cache_generation()
    page_cache_bump()
    assert page_cache_generation() == first + 1

    cache.clear()
    page_cache_bump()
    assert page_cache_generation() >= 1


def test_pages_are_compressed_for_browsers_that_accept_it(client):
    url = reverse("objects:browse")
    for _ in range(2):  # a miss, then a hit from the cache
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response["Content-Encoding"] == "gzip"


def test_image_derivatives_are_served_with_a_long_lived_cache_header(client, media_root, settings):
    import importlib

    from django.test import override_settings
    from django.urls import clear_url_caches

    import bac_collection.urls
    from images.services import archive_image_process
    from tests.factories.images import ArchiveImageFactory

    image = ArchiveImageFactory()
    archive_image_process(image_id=image.pk)
    try:
        with override_settings(DEBUG=False, SERVE_MEDIA=True):
            clear_url_caches()
            importlib.reload(bac_collection.urls)
            response = client.get(image.renditions.first().url)
    finally:
        clear_url_caches()
        importlib.reload(bac_collection.urls)

    assert response.status_code == 200
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]


def test_bench_pages_reports_each_page_type_and_the_hit_ratio_under_changes():
    import re
    from io import StringIO

    from django.core.management import call_command

    from memories.models import Memory

    CollectionObjectFactory.create_batch(25)
    out = StringIO()
    call_command("bench_pages", requests=2, pages=240, seconds=20, rate=5, force=True, stdout=out)

    report = out.getvalue()
    for name in ("object page", "browse", "search", "misspelt search", "home"):
        # Cold, kept (the parts a first visit kept) and warm: p50, p95 and queries each.
        figures = r"( +[0-9.]+ +[0-9.]+ +[0-9]+(-[0-9]+)?){3} +[0-9]+$"
        assert re.search(rf"^{name}{figures}", report, re.M), name
    ratio = re.search(r"Page cache hit ratio: ([0-9.]+)%", report)
    assert ratio and 0 < float(ratio.group(1)) <= 100, report
    assert "a memory approved, an object's description edited" in report
    assert "(1 of each)" in report
    assert Memory.objects.filter(status=Memory.Status.APPROVED).count() == 1


def test_a_bulk_import_refreshes_the_cache(client, tmp_path):
    from objects.services import collection_import

    url = reverse("objects:browse")
    client.get(url)
    csv = tmp_path / "new.csv"
    csv.write_text("accession_number,title,object_type\nBAC-90001,Freshly imported poster,poster\n")

    result = collection_import(path=csv)
    assert result.created == 1, result.errors

    assert client.get(url)["X-Page-Cache"] == "miss"


def test_a_search_page_cached_before_the_worker_indexed_a_change_shows_it_after(
    client, django_capture_on_commit_callbacks
):
    """A save commits (and bumps the page cache) before a worker indexes it: a search
    in between must not keep its results without the change once the worker is done."""
    from search.sync import _PendingIndexUpdate

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CollectionObjectFactory(title="Zanzibar lantern")
    jobs = [c for c in callbacks if isinstance(getattr(c, "__self__", None), _PendingIndexUpdate)]
    assert jobs
    for callback in callbacks:
        if callback not in jobs:
            callback()  # the commit's own bumps of the page cache
    url = reverse("search:search") + "?q=zanzibar"
    assert "Zanzibar lantern" not in client.get(url).content.decode()

    for job in jobs:
        job()  # the worker's turn (Celery runs it at once in tests)

    assert "Zanzibar lantern" in client.get(url).content.decode()
