"""A story published in the admin's way gets its "featured in" links from a
real Celery worker: Wagtail's reference index job goes through django-tasks."""

import pytest
from wagtail.models import ReferenceIndex

from tests.factories.stories import StoryPageFactory, object_block
from tests.objects.pages_support import object_with_image
from tests.worker import wait_until

pytestmark = pytest.mark.celery_worker


def test_featured_in_links_appear_after_a_worker_handles_the_publish(
    celery_worker, settings, client
):
    settings.TASKS = {"default": {"BACKEND": "bac_collection.django_tasks_celery.CeleryBackend"}}
    obj = object_with_image(title="Masque poster")

    story = StoryPageFactory(title="A story told by the worker", body=[object_block(obj)])

    assert wait_until(lambda: ReferenceIndex.objects.filter(object_id=str(story.pk)).exists()), (
        celery_worker.log()
    )
    html = client.get(obj.get_absolute_url()).content.decode()
    assert "A story told by the worker" in html
    assert "bac_collection.run_django_task" in celery_worker.log()
