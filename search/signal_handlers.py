"""Keep the search indexes in step with every registered kind.

Connected from the registry (search/registry.py), so a kind's app only
declares its model and dependencies. Every handler only queues work
(search/sync.py), after commit: a save never waits for, or fails because of,
the search engine. Fixture loads (`raw`) are skipped; `search_index rebuild`
covers them.
"""

from functools import partial

from django.db.models import ManyToManyField, ManyToOneRel
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import published, unpublished

from foundation.signals import records_changed

from .registry import SearchKind, all_kinds, pks_depending_on
from .sync import enqueue_index_update


def record_changed(sender, instance, raw=False, *, kind: SearchKind, **kwargs):
    """Saved, deleted, published or unpublished: the task decides which."""
    if not raw:
        enqueue_index_update(kind.model_label, [instance.pk])


def records_changed_in_bulk(sender, pks, **kwargs):
    """Rows written without save() (foundation's records_changed): a kind's own
    records, or rows they mention (the task finds which records mention them)."""
    enqueue_index_update(sender._meta.label, pks)


def child_row_changed(sender, instance, raw=False, *, kind: SearchKind, attname: str, **kwargs):
    """A row of the record's own (an object's maker or image) added,
    edited or removed: its record changed."""
    if not raw and getattr(instance, attname) is not None:
        enqueue_index_update(kind.model_label, [getattr(instance, attname)])


def mentioned_changed(sender, instance, created=False, raw=False, **kwargs):
    """A renamed maker or production: reindex the records that mention it
    (found by the task, so a save never waits on a big production). Nothing
    mentions a row just created."""
    if not raw and not created:
        enqueue_index_update(sender._meta.label, [instance.pk])


def mentioned_deleting(sender, instance, *, kind: SearchKind, lookup: str, **kwargs):
    """Before delete, while the links still exist: SET_NULL and m2m cascades
    send no signals for the records they change."""
    enqueue_index_update(kind.model_label, pks_depending_on(kind, lookup, [instance.pk]))


def links_changed(sender, instance, action, reverse, pk_set, *, kind, lookup, **kwargs):
    """Many-to-many links (an object's subjects) changed, from either side."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not reverse:
        pks = [instance.pk]
    elif pk_set is not None:
        pks = pk_set
    else:  # a subject clearing all its objects
        pks = pks_depending_on(kind, lookup, [instance.pk])
    enqueue_index_update(kind.model_label, pks)


def _dependency_signals(kind: SearchKind, model, lookup: str) -> list[tuple]:
    """(signal, handler, sender, dispatch_uid) keeping `kind` in step with `model`."""
    uid = f"search:{kind.name}:{model._meta.label}"
    field = kind.model._meta.get_field(lookup.split("__")[0])
    if isinstance(field, ManyToOneRel) and "__" not in lookup:
        # Child rows point at the record: the record is known without a query.
        handler = partial(child_row_changed, kind=kind, attname=field.field.attname)
        return [
            (post_save, handler, model, uid + ":save"),
            (post_delete, handler, model, uid + ":delete"),
        ]
    connections = [
        # Shared by every kind mentioning `model`: the task finds them all.
        (post_save, mentioned_changed, model, f"search:{model._meta.label}"),
        (pre_delete, partial(mentioned_deleting, kind=kind, lookup=lookup), model, uid + ":del"),
    ]
    if isinstance(field, ManyToManyField) and "__" not in lookup:
        links = partial(links_changed, kind=kind, lookup=lookup)
        connections.append((m2m_changed, links, field.remote_field.through, uid + ":links"))
    return connections


RECORD_SIGNALS = {
    "save": post_save,
    "delete": post_delete,
    "published": published,
    "unpublished": unpublished,
}


def _kind_signals(kind: SearchKind) -> list[tuple]:
    changed = partial(record_changed, kind=kind)
    connections = [
        (signal, changed, kind.model, f"search:{kind.name}:{name}")
        for name, signal in RECORD_SIGNALS.items()
    ]
    for model in (kind.model, *kind.dependencies):
        # Shared by every kind following `model`: one task finds them all.
        uid = f"search:{model._meta.label}:records_changed"
        connections.append((records_changed, records_changed_in_bulk, model, uid))
    for model, lookup in kind.dependencies.items():
        connections += _dependency_signals(kind, model, lookup)
    return connections


def connect_kind(kind: SearchKind) -> None:
    """Reindex this kind's records whenever they or what they mention change."""
    for signal, handler, sender, uid in _kind_signals(kind):
        signal.connect(handler, sender=sender, weak=False, dispatch_uid=uid)


def disconnect_kind(kind: SearchKind) -> None:
    for signal, _handler, sender, uid in _kind_signals(kind):
        signal.disconnect(sender=sender, dispatch_uid=uid)


def restriction_changed(sender, instance, raw=False, **kwargs):
    """A section restricted or opened to all: its stories and calls leave or rejoin
    the search, whose results show their titles. The task indexes those now public
    and removes those now restricted (`SearchKind.public_queryset`)."""
    section = None if raw else Page.objects.filter(pk=instance.page_id).first()
    if section is None:  # deleted with its restrictions: its pages leave anyway
        return
    for kind in all_kinds():
        if issubclass(kind.model, Page):
            pages = kind.model.objects.descendant_of(section, inclusive=True)
            enqueue_index_update(kind.model_label, list(pages.values_list("pk", flat=True)))


def register_signal_handlers() -> None:
    for kind in all_kinds():
        connect_kind(kind)
    for signal in (post_save, post_delete):
        signal.connect(
            restriction_changed, sender=PageViewRestriction, dispatch_uid="search:restrictions"
        )
