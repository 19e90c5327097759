"""Reads for the search pages."""

from dataclasses import dataclass

from .registry import SearchKind, all_kinds, get_kind
from .results import SearchHit

# The template of kinds without their own: it shows the hit alone, never the record.
GENERIC_HIT_TEMPLATE = SearchKind.hit_template


@dataclass(frozen=True)
class ShownHit:
    """A hit with its kind's template and record (None if it just went, and for
    kinds shown with the generic template)."""

    hit: SearchHit
    template: str
    record: object


def shown_hits(hits: list[SearchHit]) -> list[ShownHit]:
    """The page's hits with their records, each kind's loaded in one go, so
    the queries depend on the kinds on the page, not on the number of hits.
    Kinds shown with the generic template (memories) load none: it shows only
    what the index holds, and the search index's own updates retire the page."""
    registered = {kind.name for kind in all_kinds()}
    # A kind just removed from the registry: its rows go at the next rebuild.
    hits = [hit for hit in hits if hit.kind in registered]
    pks_by_kind: dict[str, list[int]] = {}
    for hit in hits:
        if get_kind(hit.kind).hit_template != GENERIC_HIT_TEMPLATE:
            pks_by_kind.setdefault(hit.kind, []).append(hit.id)
    records = {name: get_kind(name).records_for_hits(pks) for name, pks in pks_by_kind.items()}
    return [
        ShownHit(hit, get_kind(hit.kind).hit_template, records.get(hit.kind, {}).get(hit.id))
        for hit in hits
    ]
