"""Counting page views and reuse, through the site as visitors use it: what is
counted, what is not (GPC, DNT, crawlers), cached pages, and the cost to a page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api import dumps
from foundation.page_cache import page_cache_bump
from impact import buffer, counting
from impact.buffer import TERM_MIN_DAILY, impact_buffer_send
from impact.models import DailyCount, Metric, ObjectFirstSeen
from impact.store import day_key, end_of_day
from impact.tasks import flush_impact_counts_task
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory
from tests.objects.pages_support import object_with_image

from .conftest import DESKTOP, GOOGLEBOT, PHONE, TABLET

pytestmark = pytest.mark.django_db


def counts(metric) -> dict[str, int]:
    return dict(
        DailyCount.objects.filter(metric=metric, day=timezone.localdate()).values_list(
            "key", "count"
        )
    )


def test_page_views_are_counted_by_kind_device_and_referrer_domain(visitor):
    obj = CollectionObjectFactory()
    story = StoryPageFactory()
    phone = visitor(PHONE, HTTP_REFERER="https://www.example.org/blog/2026/a-post?utm=x")
    tablet = visitor(TABLET, address="198.51.100.8")
    desktop = visitor(DESKTOP, address="198.51.100.9", HTTP_REFERER="http://testserver/")

    for client in (phone, tablet, desktop):
        assert client.get(obj.get_absolute_url()).status_code == 200
    phone.get(story.url)
    tablet.get("/open-data/")
    desktop.get(reverse("memories:list"))
    desktop.get(reverse("search:search") + "?q=poster")
    desktop.get("/")
    flush_impact_counts_task.delay()

    assert counts(Metric.VIEWS) == {
        "object": 3,
        "story": 1,
        "open-data": 1,
        "memory": 1,
        "search": 1,
        "other": 1,
    }
    assert counts(Metric.DEVICE) == {"phone": 2, "tablet": 2, "desktop": 4}
    # The domain only (no "www.", no path or query), this site as "internal".
    assert counts(Metric.REFERRER) == {"example.org": 2, "direct": 2, "internal": 4}
    assert counts(Metric.VISITORS) == {"": 3}


def test_a_page_served_from_the_page_cache_is_counted_with_its_kind(visitor):
    story = StoryPageFactory()
    client = visitor()

    assert client.get(story.url)["X-Page-Cache"] == "miss"
    assert client.get(story.url)["X-Page-Cache"] == "hit"
    flush_impact_counts_task.delay()

    assert counts(Metric.VIEWS) == {"story": 2}


@pytest.mark.parametrize("header", [{"HTTP_SEC_GPC": "1"}, {"HTTP_DNT": "1"}])
def test_visitors_asking_not_to_be_tracked_are_not_counted(visitor, redis_client, header):
    obj = object_with_image()
    client = visitor(**header)

    client.get(obj.get_absolute_url())  # rendered
    client.get(obj.get_absolute_url())  # from the page cache
    client.get(reverse("search:search") + "?q=poster")
    client.get(reverse("iiif:manifest", args=[obj.slug]))
    flush_impact_counts_task.delay()

    assert not DailyCount.objects.exists()
    assert not ObjectFirstSeen.objects.exists()
    assert not redis_client.keys("impact:*")


@pytest.mark.parametrize("user_agent", [GOOGLEBOT, "curl/8.5.0", "python-requests/2.32.3", ""])
def test_crawlers_and_scripts_are_not_counted_as_page_views(visitor, user_agent):
    obj = CollectionObjectFactory()
    client = visitor(user_agent)

    client.get(obj.get_absolute_url())
    client.get(obj.get_absolute_url())
    flush_impact_counts_task.delay()

    assert not DailyCount.objects.exists()


def test_reuse_is_counted_by_client_name_or_referring_domain(visitor, settings, tmp_path):
    settings.OPENDATA_DUMP_DIR = tmp_path / "opendata"
    obj = object_with_image()
    manifest = dumps.opendata_dump_write()
    data_file = manifest["files"][0]["name"]
    script = visitor("python-requests/2.32.3")
    viewer = visitor(DESKTOP, HTTP_REFERER="https://viewer.example.net/mirador/?m=1")

    script.get("/api/v1/objects/")
    script.get(f"/api/v1/objects/{obj.slug}")
    script.get(reverse("opendata:download", args=[data_file]))
    script.get(reverse("opendata:download", args=[dumps.MANIFEST_NAME]))  # not data
    viewer.get(reverse("iiif:manifest", args=[obj.slug]))
    viewer.get("/api/v1/docs")  # documentation: a page people read, not reuse
    flush_impact_counts_task.delay()

    assert counts(Metric.API) == {"client:python-requests": 2}
    assert counts(Metric.DOWNLOAD) == {"client:python-requests": 1}
    assert counts(Metric.MANIFEST) == {"web:viewer.example.net": 1}
    assert counts(Metric.VIEWS) == {"other": 1}


def test_objects_seen_get_a_first_seen_day_that_later_views_keep(visitor):
    seen, unseen = CollectionObjectFactory.create_batch(2)
    client = visitor()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ObjectFirstSeen.objects.create(object=unseen, first_seen=yesterday)

    client.get(seen.get_absolute_url())
    client.get(seen.get_absolute_url())  # a cache hit: counted with no query
    client.get(unseen.get_absolute_url())
    flush_impact_counts_task.delay()

    first_seen = dict(ObjectFirstSeen.objects.values_list("object_id", "first_seen"))
    assert first_seen == {seen.pk: timezone.localdate(), unseen.pk: yesterday}


def test_counting_adds_no_database_query_to_a_page(visitor, monkeypatch, redis_client):
    obj = CollectionObjectFactory()
    client = visitor()
    urls = [obj.get_absolute_url(), reverse("search:search") + "?q=poster"]

    def queries():
        page_cache_bump()
        made = []
        for url in urls:
            for expected in ("miss", "hit"):
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url)["X-Page-Cache"] == expected
                made.append(len(captured))
        return made

    client.get(urls[0])  # the day's salt, connections, templates
    for _ in range(TERM_MIN_DAILY):  # a term this common today: its pages may be kept
        client.get(urls[1])
    counted = queries()
    impact_buffer_send()
    assert redis_client.hgetall(day_key(timezone.localdate(), "counts"))
    monkeypatch.setattr(counting, "impact_record", lambda **kwargs: None)

    assert counted == queries()


def test_page_views_wait_on_no_redis_round_trip_and_go_in_one_a_second(
    visitor, monkeypatch, redis_client
):
    from redis.client import Pipeline

    obj = CollectionObjectFactory()
    client = visitor()
    client.get("/")  # the day's salt is read once per process per day
    trips = []
    execute = Pipeline.execute

    def recording_execute(pipe, *args, **kwargs):
        trips.append([command[0][0] for command in pipe.command_stack])
        return execute(pipe, *args, **kwargs)

    monkeypatch.setattr(Pipeline, "execute", recording_execute)
    monkeypatch.setattr(buffer, "_send_quietly", lambda: None)  # this test sends, not the thread
    for url in [obj.get_absolute_url()] * 3 + [reverse("search:search") + "?q=poster"] * 3:
        client.get(url)
    # Counting waited on no round trip. The first two search pages, rendered, each
    # asked in one read whether their term is common enough today to be kept in the
    # page cache; the third knew from this process's own counts.
    assert trips == [["HGET", "HEXISTS"]] * 2
    impact_buffer_send()

    assert len(trips) == 3 and "HINCRBY" in trips[2]
    counted = redis_client.hgetall(day_key(timezone.localdate(), "counts"))
    assert counted["views|object"] == "3" and counted["views|search"] == "3"
    assert counted["views|other"] == "1"


def test_the_days_salt_expires_at_midnight(visitor, redis_client):
    visitor().get("/")

    ttl = redis_client.ttl(day_key(timezone.localdate(), "salt"))

    assert 0 < ttl <= end_of_day(timezone.localdate()) - int(timezone.now().timestamp()) + 1


def test_a_redis_outage_never_breaks_a_page_and_pauses_counting(visitor, monkeypatch):
    obj = CollectionObjectFactory()
    client = visitor()

    def unreachable(self, *args, **kwargs):
        from redis.exceptions import ConnectionError

        raise ConnectionError("Redis went away")

    monkeypatch.setattr("redis.client.Pipeline.execute", unreachable)

    assert client.get(obj.get_absolute_url()).status_code == 200  # the salt: unreadable
    assert buffer.paused()
    assert client.get(obj.get_absolute_url()).status_code == 200


def test_the_flush_is_scheduled_by_celery_beat():
    from bac_collection.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "impact.tasks.flush_impact_counts_task" in tasks


@pytest.mark.parametrize(
    "user_agent, device",
    [
        (PHONE, "phone"),
        (TABLET, "tablet"),
        (DESKTOP, "desktop"),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile",
            "phone",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/126.0 Safari",
            "tablet",
        ),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari", "desktop"),
    ],
)
def test_device_class_comes_from_ua_parser(user_agent, device):
    assert counting.device_class(user_agent) == device


@pytest.mark.parametrize(
    "user_agent, name",
    [
        ("python-requests/2.32.3", "python-requests"),
        ("curl/8.5.0", "curl"),
        ("Wget/1.21.4 (linux-gnu)", "wget"),
        (DESKTOP, ""),
        ("", ""),
        ("<script>/1", ""),
    ],
)
def test_client_name_is_the_first_product_token(user_agent, name):
    assert counting.client_name(user_agent) == name


@pytest.mark.parametrize(
    "referer, domain",
    [
        ("https://www.example.org/path?q=secret", "example.org"),
        ("https://blog.example.co.uk/", "blog.example.co.uk"),
        ("http://203.0.113.5/page", "other"),
        ("http://[2001:db8::1]/", "other"),
        ("not a url at all", "other"),
        ("", "direct"),
        ("http://testserver/collection/", "internal"),
    ],
)
def test_a_referrer_is_kept_as_its_domain_only(rf, referer, domain):
    request = rf.get("/", HTTP_REFERER=referer)

    assert counting.referrer_domain(request) == domain
