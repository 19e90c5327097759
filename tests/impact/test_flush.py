"""The flush: counts move from Redis to daily rows once, search terms only when
searched three times a day, and a day's leftovers go with it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from impact.models import DailyCount, Metric, SearchTermDay
from impact.services import impact_flush
from impact.store import day_key
from impact.tasks import flush_impact_counts_task
from tests.factories.objects import CollectionObjectFactory

from .conftest import searchable

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")


def search(client, text):
    return client.get(SEARCH, {"q": text})


def terms() -> dict[tuple[str, bool], int]:
    return {(t.term, t.zero_results): t.count for t in SearchTermDay.objects.all()}


def test_a_term_is_kept_once_searched_three_times_in_a_day(visitor, redis_client):
    searchable(CollectionObjectFactory(title="The Red Shoes poster"))
    client = visitor()
    for text in ("Red Shoes", "  red   SHOES ", "red shoes", "Jane Doe 1998", "jane doe 1998"):
        search(client, text)
    search(client, "red shoes")
    client.get(SEARCH, {"q": "red shoes", "page": "2"})  # the same search, not another

    flush_impact_counts_task.delay()

    assert terms() == {("red shoes", False): 4}
    everything = str(
        [redis_client.hgetall(key) for key in redis_client.keys("impact:*:term*")]
    ).lower()
    assert "jane" not in everything  # only its salted hash, until the day ends
    searches = dict(DailyCount.objects.filter(metric=Metric.SEARCHES).values_list("key", "count"))
    assert searches == {"found": 4, "nothing": 2}  # every search, whatever its words


def test_searches_that_found_nothing_are_counted_apart(visitor):
    client = visitor()
    for _ in range(3):
        search(client, "Zanzibar costume")
    search(client, "zanzibar costume")  # from the page cache: still counted

    flush_impact_counts_task.delay()

    assert terms() == {("zanzibar costume", True): 4}


def test_terms_reaching_three_after_a_flush_are_kept_and_rare_ones_go_with_the_day(
    visitor, redis_client
):
    client = visitor()
    today = timezone.localdate()
    search(client, "grand hall fire")
    search(client, "grand hall fire")
    search(client, "once only")
    impact_flush(today=today)
    assert terms() == {}  # not yet three

    search(client, "grand hall fire")
    impact_flush(today=today)
    search(client, "grand hall fire")
    impact_flush(today=today + datetime.timedelta(days=1))  # the day is over

    assert terms() == {("grand hall fire", True): 4}
    assert not redis_client.keys(f"impact:{today}:term*")
    assert not redis_client.exists(day_key(today, "visitors"))


def test_running_the_flush_again_moves_nothing_twice(visitor):
    obj = CollectionObjectFactory()
    client = visitor()
    client.get(obj.get_absolute_url())

    first, second = impact_flush(), impact_flush()

    assert (first, second) == (3, 0)
    assert DailyCount.objects.get(metric=Metric.VIEWS).count == 1
    assert DailyCount.objects.get(metric=Metric.VISITORS).count == 1


def test_a_failed_database_write_puts_the_counts_back(visitor, monkeypatch):
    obj = CollectionObjectFactory()
    client = visitor()
    client.get(obj.get_absolute_url())
    for _ in range(3):
        search(client, "poster")

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("django.db.models.QuerySet.bulk_create", broken)
    with pytest.raises(RuntimeError):
        impact_flush()
    monkeypatch.undo()
    impact_flush()

    assert DailyCount.objects.get(metric=Metric.VIEWS, key="object").count == 1
    assert terms() == {("poster", True): 3}


def test_a_days_visitors_are_never_lowered_by_a_late_straggler(visitor):
    for n in range(3):
        visitor(address=f"198.51.100.{n}").get("/")
    impact_flush()
    impact_flush(today=timezone.localdate() + datetime.timedelta(days=1))  # final: sketch gone

    visitor(address="198.51.100.99").get("/")  # a request straggling past midnight
    impact_flush()

    assert DailyCount.objects.get(metric=Metric.VISITORS).count == 3
