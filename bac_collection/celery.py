"""The Celery application: worker and beat run from here.

celery -A bac_collection worker -Q celery,images,search -l info
celery -A bac_collection beat -l info
"""

import os

from celery import Celery
from celery.schedules import crontab
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bac_collection.settings.dev")

app = Celery("bac_collection")
app.config_from_object("django.conf:settings", namespace="CELERY")

app.conf.update(
    accept_content=["json"],
    task_serializer="json",
    result_serializer="json",
    # A job is acknowledged only once it has finished, and handed back to the
    # queue if its worker dies: tasks are idempotent, so a redelivery is safe.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_soft_time_limit=10 * 60,
    task_time_limit=12 * 60,
    task_default_queue="celery",
    task_queues=[Queue("celery"), Queue("images"), Queue("search")],
    task_routes={
        "images.tasks.*": {"queue": "images"},
        "search.tasks.*": {"queue": "search"},
    },
    task_default_retry_delay=10,
    broker_connection_retry_on_startup=True,
    # Wagtail's own background work, sent through django-tasks (django_tasks_celery.py).
    include=["bac_collection.django_tasks_celery"],
    beat_schedule={
        "repair-search-index-drift": {
            "task": "search.tasks.repair_index_drift_task",
            "schedule": crontab(minute=17),
        },
        "publish-scheduled-pages": {
            "task": "stories.tasks.publish_scheduled_task",
            "schedule": crontab(minute="*"),
        },
        "sweep-memory-jobs": {
            "task": "memories.tasks.sweep_task",
            "schedule": crontab(minute="*/5"),
        },
        "sweep-identification-emails": {
            "task": "identifications.tasks.sweep_task",
            "schedule": crontab(minute="*/5"),
        },
        "write-open-data-dump": {
            "task": "api.tasks.write_opendata_dump_task",
            "schedule": crontab(hour=3, minute=30),
        },
        "refresh-outdated-open-data-dump": {
            "task": "api.tasks.refresh_outdated_opendata_dump_task",
            "schedule": crontab(minute="*"),
        },
        "flush-object-view-counts": {
            "task": "objects.tasks.flush_view_counts_task",
            "schedule": crontab(minute="*/10"),
        },
        "flush-impact-counts": {
            "task": "impact.tasks.flush_impact_counts_task",
            "schedule": crontab(minute="*/10"),
        },
    },
)
app.autodiscover_tasks()
