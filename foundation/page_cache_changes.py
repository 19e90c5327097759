"""What a change retires from the page cache (foundation/page_cache.py).

Joining in, for an app whose models appear on public pages:

    # myapp/apps.py
    def ready(self):
        from foundation.page_cache_changes import page_cache_invalidate_on_change
        page_cache_invalidate_on_change(Memory, Story)

Every save or delete of those models (and, for models with drafts, publish and
unpublish) then bumps at once and again after the transaction commits: the tags
`page_cache_scope(Model, tags_for=...)` gives for the instance, or everything (the
site generation). Code that changes rows without signals (bulk updates) sends
foundation's `records_changed`, which the site connects to `bump_on_commit`, or
calls `page_cache_changed(instance)` itself.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.signals import published, unpublished

from .page_cache import page_cache_bump

# model -> (tags_for(instance, before, update_fields), before(instance) or None, bulk)
_scopes: dict = {}
# model -> references_tags(pk): what to retire once its reference index is rewritten.
_reference_scopes: dict = {}
# Rows changed in bulk (records_changed) are read to find their tags up to this many;
# beyond, every page is retired.
BULK_SCOPE_LIMIT = 100


def page_cache_scope(model, *, tags_for, before=None, bulk=False, references=None) -> None:
    """Changes to `model` retire only the pages showing the tags that
    `tags_for(instance, before, update_fields)` returns (None: every page; []: none).
    `before(instance)`, if given, reads the row as it was before a save (sent
    pre_save; None for a new row), so a change also retires the pages that showed
    the old state. With `bulk`, rows announced changed in bulk (records_changed with
    `pks`) are read and scoped the same way, up to BULK_SCOPE_LIMIT of them; `bulk`
    may instead be a function `tags(pks)` giving the tags of any number of rows at
    once (None: every page). `references(pk)`, if given, is what to retire once
    Wagtail's reference index has been rewritten for the row (by default nothing:
    what a row references shows on no page). Models without a scope retire every
    page."""
    _scopes[model] = (tags_for, before, bulk)
    if references is not None:
        _reference_scopes[model] = references
    if before is not None:
        uid = f"pagecache:{model._meta.label}"
        pre_save.connect(_remember_before, sender=model, dispatch_uid=f"{uid}:before")
        pre_delete.connect(_forget_before, sender=model, dispatch_uid=f"{uid}:before-delete")


def page_cache_references_changed(model, pk) -> None:
    """Wagtail's reference index was rewritten for the row: retire what shows its
    references (a story's: the pages of the objects it features), or every page for
    a model without a scope."""
    if model not in _scopes:
        page_cache_bump()
    elif model in _reference_scopes:
        _bump_for(_reference_scopes[model](pk))


def page_cache_has_scope(model) -> bool:
    return model in _scopes


def _remember_before(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        read = _scopes[sender][1]
        instance._page_cache_before = read(instance) if instance.pk is not None else None


def _forget_before(sender, instance, **kwargs) -> None:
    instance._page_cache_before = None  # deleted: everything it showed goes


def page_cache_tags_for(instance, *, update_fields=None) -> list[str] | None:
    """What a change to `instance` retires: its scope's tags, or None (every page)."""
    scope = _scopes.get(type(instance))
    if scope is None:
        return None
    tags_for = scope[0]
    before = getattr(instance, "_page_cache_before", None)
    return list(tags_for(instance, before, update_fields))


def page_cache_changed(instance) -> None:
    """For code that changes `instance` without signals (update()): retire what the
    change shows on, as a save would, now. As if nothing were known of its old state."""
    instance._page_cache_before = None
    _bump_for(page_cache_tags_for(instance))


def _bump_for(tags: list[str] | None) -> None:
    if tags is None:
        page_cache_bump()
    elif tags:
        page_cache_bump(*tags)


def page_cache_bump_on_commit(tags: list[str] | None = None) -> None:
    """Bump `tags` (None: every page) now, and again once the change is committed (a
    page rendered from the old data in between must not survive either)."""
    if tags == []:
        return
    _bump_for(tags)
    transaction.on_commit(lambda: _bump_for(tags))


def _bulk_tags(model, pks) -> list[str] | None:
    scope = _scopes.get(model)
    if scope is None or not scope[2] or not pks:
        return None
    if callable(scope[2]):
        return scope[2](list(dict.fromkeys(pks)))
    if len(pks) > BULK_SCOPE_LIMIT:
        return None
    rows = list(model._default_manager.filter(pk__in=pks))
    if len(rows) != len(set(pks)):  # some are gone: what showed them is not known
        return None
    tags = []
    for row in rows:
        row._page_cache_before = None
        tags += page_cache_tags_for(row)
    return list(dict.fromkeys(tags))


def bump_on_commit(sender=None, instance=None, **kwargs) -> None:
    """A signal receiver for saves, deletes, (un)publishing and records_changed (with
    `pks`): bump the change's tags now and again after commit."""
    if kwargs.get("raw"):  # fixture loading
        return
    if instance is not None:
        tags = page_cache_tags_for(instance, update_fields=kwargs.get("update_fields"))
    else:
        tags = _bulk_tags(sender, kwargs.get("pks"))
    page_cache_bump_on_commit(tags)


def page_cache_invalidate_on_change(*models) -> None:
    """Bump whenever any of `models` is saved, deleted, published or unpublished: the
    tags of the model's scope (page_cache_scope), or every page."""
    for model in models:
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:delete")
        published.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:published")
        unpublished.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:unpublished")
