import pytest
from django.core.cache import cache
from django.urls import reverse

from objects.models import CollectionObject
from objects.tasks import flush_view_counts_task
from objects.view_counts import object_view_record, object_views_pending
from tests.factories.objects import CollectionObjectFactory

from .pages_support import object_with_image

pytestmark = pytest.mark.django_db


def test_a_page_view_is_counted_in_the_cache_not_the_database(
    client, django_assert_max_num_queries
):
    obj = CollectionObjectFactory()

    client.get(obj.get_absolute_url())
    client.get(obj.get_absolute_url())

    assert object_views_pending(object_ids=[obj.pk]) == {obj.pk: 2}
    obj.refresh_from_db()
    assert obj.view_count == 0


def test_counting_a_view_on_redis_is_one_round_trip(redis_commands):
    obj = CollectionObjectFactory()
    redis_commands.clear()

    object_view_record(object_id=obj.pk)
    assert len(redis_commands) == 1, redis_commands
    object_view_record(object_id=obj.pk)

    assert object_views_pending(object_ids=[obj.pk]) == {obj.pk: 2}


def test_missing_and_unpublished_objects_are_not_counted(client):
    draft = CollectionObjectFactory(live=False)

    client.get(draft.get_absolute_url())

    assert object_views_pending(object_ids=[draft.pk]) == {}


def test_flush_task_moves_counts_to_the_database_once():
    viewed_twice, viewed_once, unseen = CollectionObjectFactory.create_batch(3)
    for obj in (viewed_twice, viewed_twice, viewed_once):
        object_view_record(object_id=obj.pk)

    assert flush_view_counts_task.delay().get() == 3
    assert flush_view_counts_task.delay().get() == 0  # running again counts nothing twice

    counts = dict(CollectionObject.objects.values_list("pk", "view_count"))
    assert counts == {viewed_twice.pk: 2, viewed_once.pk: 1, unseen.pk: 0}
    assert object_views_pending(object_ids=list(counts)) == {}


def test_views_arriving_after_a_flush_are_kept_for_the_next():
    obj = CollectionObjectFactory()
    object_view_record(object_id=obj.pk)
    flush_view_counts_task.delay()

    object_view_record(object_id=obj.pk)
    flush_view_counts_task.delay()

    obj.refresh_from_db()
    assert obj.view_count == 2


def test_a_failed_database_write_puts_the_views_back(monkeypatch):
    obj = CollectionObjectFactory()
    object_view_record(object_id=obj.pk)

    def broken_update(self, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("django.db.models.QuerySet.update", broken_update)
    with pytest.raises(RuntimeError):
        flush_view_counts_task.apply(throw=True)
    monkeypatch.undo()

    assert object_views_pending(object_ids=[obj.pk]) == {obj.pk: 1}
    flush_view_counts_task.delay()
    obj.refresh_from_db()
    assert obj.view_count == 1


def test_counting_never_breaks_the_page(client, monkeypatch):
    obj = CollectionObjectFactory()

    def cache_down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "incr", cache_down)
    monkeypatch.setattr(cache, "add", cache_down)

    assert client.get(obj.get_absolute_url()).status_code == 200


def test_flush_is_scheduled_by_celery_beat():
    from bac_collection.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "objects.tasks.flush_view_counts_task" in tasks


# --- "Never seen before" ---------------------------------------------------------


def test_never_seen_redirects_to_a_live_object_with_an_image_and_fewest_views(client):
    seen = object_with_image(title="Seen")
    CollectionObject.objects.filter(pk=seen.pk).update(view_count=50)
    unseen = object_with_image(title="Unseen")
    CollectionObjectFactory(title="No image")  # never chosen: nothing to look at
    draft = object_with_image(title="Draft", live=False)
    CollectionObject.objects.filter(pk=draft.pk).update(view_count=0)

    for _ in range(10):
        response = client.get(reverse("objects:random"))
        assert response.status_code == 302
        assert response["Location"] == unseen.get_absolute_url()
        assert "no-cache" in response["Cache-Control"]


def test_never_seen_picks_among_the_least_viewed_at_random(client):
    objects = [object_with_image() for _ in range(4)]

    destinations = {client.get(reverse("objects:random"))["Location"] for _ in range(40)}

    assert destinations <= {obj.get_absolute_url() for obj in objects}
    assert len(destinations) > 1


def test_never_seen_with_nothing_to_show_explains_itself(client):
    CollectionObjectFactory()  # no image

    response = client.get(reverse("objects:random"))

    assert response.status_code == 404
    assert "Nothing to show yet" in response.content.decode()


def test_never_seen_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        object_with_image()

    # Fewest views, primary key bounds, the probe, and a second probe on wrap-around.
    with django_assert_max_num_queries(4):
        assert client.get(reverse("objects:random")).status_code == 302
