"""Signals the collection sends for writes that bypass model saves.

Bulk writes (imports, merging object types) insert and update rows without
`save()`, so no post_save is sent. They send `objects_changed` instead, once
per batch, after the rows are written; listeners (search) queue their own
work. Sent inside the writer's transaction: queue with on_commit.
"""

from django.dispatch import Signal

# Sent with `pks`: the ids of CollectionObjects created or changed in bulk.
objects_changed = Signal()
