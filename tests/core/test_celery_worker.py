"""Celery jobs really run on a separate worker process through the broker."""

import pytest

from objects.models import CollectionObject
from objects.tasks import flush_view_counts_task
from objects.view_counts import object_view_record
from tests.factories.objects import CollectionObjectFactory
from tests.worker import wait_until

pytestmark = pytest.mark.celery_worker


def test_a_task_sent_through_the_broker_runs_on_the_worker(celery_worker):
    obj = CollectionObjectFactory()
    for _ in range(3):
        object_view_record(object_id=obj.pk)

    result = flush_view_counts_task.delay()

    assert wait_until(lambda: CollectionObject.objects.get(pk=obj.pk).view_count == 3), (
        celery_worker.log()
    )
    assert (
        f"Task objects.tasks.flush_view_counts_task[{result.id}] succeeded" in celery_worker.log()
    )
