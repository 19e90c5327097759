"""A relation's prefetch cache filled by hand from rows a query already brought (JSON
columns on PostgreSQL, or nothing at all), so `obj.<relation>.all()` costs no query."""


def prefetched(obj, relation: str, model, instances: list) -> None:
    """Make `obj.<relation>.all()` give `instances`, as prefetch_related leaves it."""
    queryset = model._default_manager.none()
    queryset._result_cache = instances
    queryset._prefetch_done = True
    obj._prefetched_objects_cache = {
        **getattr(obj, "_prefetched_objects_cache", {}),
        relation: queryset,
    }
