"""Reads for the search pages."""

from dataclasses import dataclass

from .registry import all_kinds, get_kind
from .results import SearchHit


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
    Kinds shown with the generic template (memories, calls) load none
    (SearchKind.records_for_hits)."""
    registered = {kind.name for kind in all_kinds()}
    # A kind just removed from the registry: its rows go at the next rebuild.
    hits = [hit for hit in hits if hit.kind in registered]
    pks_by_kind: dict[str, list[int]] = {}
    for hit in hits:
        pks_by_kind.setdefault(hit.kind, []).append(hit.id)
    records = {name: get_kind(name).records_for_hits(pks) for name, pks in pks_by_kind.items()}
    return [
        ShownHit(hit, get_kind(hit.kind).hit_template, records[hit.kind].get(hit.id))
        for hit in hits
    ]
