"""Wiring of the site-wide behaviour to the apps whose content the public pages show."""

from celery.signals import task_postrun
from django.apps import apps
from wagtail.models import Page

from objects.signals import objects_changed
from objects.view_counts import object_view_record

from .cache import (
    bump_on_commit,
    page_cache_bump,
    page_cache_hit,
    page_cache_invalidate_on_change,
    register_page_signals,
)
from .redirects import redirect_on_slug_change


def register_signal_handlers() -> None:
    register_page_signals()

    objects = apps.get_app_config("objects")
    page_cache_invalidate_on_change(
        Page,
        apps.get_model("pages", "SiteLinks"),
        apps.get_model("images", "ArchiveImage"),
        *(
            objects.get_model(name)
            for name in (
                "CollectionObject",
                "ObjectType",
                "ObjectImage",
                "ObjectMaker",
                "Maker",
                "Production",
                "Subject",
                "Place",
            )
        ),
    )
    # Imports and term merges write in bulk, without post_save: they announce it.
    objects_changed.connect(bump_on_commit, dispatch_uid="pagecache:objects_changed")
    if apps.is_installed("memories"):
        # Approved memories appear on object, production, story and home pages.
        page_cache_invalidate_on_change(apps.get_model("memories", "Memory"))
    redirect_on_slug_change(*(objects.get_model(name) for name in ("Maker", "Production")))
    page_cache_hit.connect(_count_object_view, dispatch_uid="pagecache:object-view-count")
    task_postrun.connect(_bump_after_reference_index, dispatch_uid="pagecache:reference-index")


# Wagtail's reference index gives object pages their "Featured in" stories. In
# production a worker rewrites it after the publish has committed and bumped the page
# cache (settings.TASKS), so an object page cached in between would lack the story
# until it expired: the cache is bumped again once the worker has written it.
REFERENCE_INDEX_JOB = "wagtail.tasks.update_reference_index_task"


def _bump_after_reference_index(sender=None, args=None, state=None, **kwargs) -> None:
    """Celery's task_postrun, for every task: django-tasks' jobs run as
    run_django_task(module_path, args, kwargs) (bac_collection/django_tasks_celery.py)."""
    if (
        state == "SUCCESS"
        and sender.name == "bac_collection.run_django_task"
        and args
        and args[0] == REFERENCE_INDEX_JOB
    ):
        page_cache_bump()


def _count_object_view(sender, request, response, **kwargs) -> None:
    """An object page served from the cache still counts as a view ("Never seen
    before" depends on the counts), without touching the database."""
    object_id = getattr(response, "counted_object_id", None)
    if object_id is not None:
        object_view_record(object_id=object_id)
