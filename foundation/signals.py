"""The one signal for records changed without save().

Bulk writes (imports, merging terms, moderation's update()) insert and update
rows without `save()`, so Django sends no post_save. The code doing such a write
sends `records_changed` instead, once per batch, after the rows are written:

    records_changed.send(sender=CollectionObject, pks=[...])

- `sender`: the model class whose rows changed (CollectionObject, Memory, ...).
- `pks`: the primary keys of the rows created, changed or removed (a list of ints).

It is sent inside the writer's transaction, so listeners queue their work with
`transaction.on_commit`. Listeners (they import the sender, never the reverse):
the search index (search/signal_handlers.py) reindexes those rows, or the records
that mention them, and the page cache (pages/signal_handlers.py) makes pages
showing them stale.
"""

from django.dispatch import Signal

records_changed = Signal()
