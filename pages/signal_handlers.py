"""Wiring of the site-wide behaviour to the apps whose content the public pages show."""

from celery.signals import task_postrun
from django.apps import apps
from wagtail.models import Page

from foundation.page_cache import (
    SEARCH,
    page_cache_bump,
    page_cache_epoch_from,
    page_cache_on_unreached_bump,
)
from foundation.page_cache_changes import (
    bump_on_commit,
    page_cache_invalidate_on_change,
    page_cache_references_changed,
)
from foundation.signals import records_changed
from stories.signal_handlers import register_story_scope

from .cache import page_cache_bump_epoch, read_page_cache_epoch, register_page_signals
from .invalidation import register_scopes
from .redirects import redirect_on_slug_change


def register_signal_handlers() -> None:
    # A bump that cannot reach Redis retires every page through the database.
    page_cache_on_unreached_bump(page_cache_bump_epoch)
    page_cache_epoch_from(read_page_cache_epoch)
    register_page_signals()
    # Objects, memories, images and terms retire only the pages showing them
    # (pages/invalidation.py); stories too (stories/signal_handlers.py).
    register_scopes()
    register_story_scope()

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
    # Imports, term merges and moderation write without post_save: they announce it
    # (foundation/signals.py), whatever the model.
    records_changed.connect(bump_on_commit, dispatch_uid="pagecache:records_changed")
    if apps.is_installed("memories"):
        # Approved memories appear on object, production, story and home pages.
        page_cache_invalidate_on_change(apps.get_model("memories", "Memory"))
    redirect_on_slug_change(*(objects.get_model(name) for name in ("Maker", "Production")))
    task_postrun.connect(_bump_after_background_write, dispatch_uid="pagecache:background-writes")


# Jobs that write what pages show, run by a worker after the change that queued them
# has committed and bumped the page cache: a page cached in between would lack what
# they write until it expired, so the cache is bumped again once they have run.
# Wagtail's reference index gives object pages their "Featured in" stories (its job
# runs through django-tasks: run_django_task(module_path, args, kwargs), see
# bac_collection/django_tasks_celery.py); the search index gives the search pages
# their results (an engine write waits for its refresh, so it is searchable by then):
# only they are retired after it.
DJANGO_TASK_RUNNER = "bac_collection.run_django_task"
REFERENCE_INDEX_JOB = "wagtail.tasks.update_reference_index_task"
SEARCH_INDEX_JOB = "search.tasks.update_index_task"


def _bump_after_background_write(sender=None, args=None, state=None, **kwargs) -> None:
    """Celery's task_postrun, sent after every task."""
    if state != "SUCCESS":
        return
    if sender.name == SEARCH_INDEX_JOB:
        page_cache_bump(SEARCH)  # the search pages
    elif sender.name == DJANGO_TASK_RUNNER and args and args[0] == REFERENCE_INDEX_JOB:
        # "Featured in" on object pages reads the references of stories: a story's
        # scope retires the pages of the objects it features now; those of other
        # scoped records (an object, a memory: args[1] is app label, model name, pk)
        # show on no page, so a curator's edit does not retire every page.
        indexed = apps.get_model(*args[1][:2]) if len(args) > 1 and args[1] else None
        if indexed is None:
            page_cache_bump()
        else:
            page_cache_references_changed(indexed, args[1][2])
