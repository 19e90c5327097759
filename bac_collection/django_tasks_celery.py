"""A django-tasks backend that hands Wagtail's own background work (reference
index updates, search index updates, image focal points) to our Celery workers.

Jobs are sent only once the surrounding transaction commits: a job sent from
inside it could run before the rows it reads exist (or while they still hold
their old content), and would be lost with a rollback. Each job carries the
dotted path of the django-tasks function and JSON arguments (ids, as Wagtail's
tasks already take), and runs on the Celery queue mapped from its django-tasks
queue (all of Wagtail's use "default", which goes to the `celery` queue).
"""

import logging

from celery import shared_task
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task
from django_tasks.exceptions import InvalidTaskError
from django_tasks.utils import get_random_id

logger = logging.getLogger(__name__)

DEFAULT_CELERY_QUEUE = "celery"


class CeleryBackend(BaseTaskBackend):
    """TASKS = {"default": {"BACKEND": "bac_collection.django_tasks_celery.CeleryBackend",
    "OPTIONS": {"CELERY_QUEUES": {"default": "celery"}}}}"""

    def validate_task(self, task: Task) -> None:
        super().validate_task(task)
        if task.takes_context:
            raise InvalidTaskError("The Celery backend does not pass a task context.")

    def celery_queue(self, task: Task) -> str:
        return self.options.get("CELERY_QUEUES", {}).get(task.queue_name, DEFAULT_CELERY_QUEUE)

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = self.celery_queue(task)

        def send_to_celery():
            run_django_task.apply_async(
                args=(task.module_path, result.args, result.kwargs), task_id=result.id, queue=queue
            )

        # Robust: with the broker down the change that queued the job still stands
        # (Wagtail's jobs are index refreshes that `manage.py rebuild_references_index`
        # and `update_index` redo); the failure is logged, the request answers.
        transaction.on_commit(send_to_celery, robust=True)
        return result


@shared_task(name="bac_collection.run_django_task")
def run_django_task(module_path: str, args: list, kwargs: dict) -> None:
    task = import_string(module_path)
    if not isinstance(task, Task):
        raise InvalidTaskError(f"{module_path} is not a django-tasks task.")
    try:
        task.call(*args, **kwargs)
    except ObjectDoesNotExist:
        # Deleted before the job ran (Wagtail's tasks re-read by id): nothing left to do.
        logger.info("Skipped %s%r: the object no longer exists", module_path, tuple(args))
