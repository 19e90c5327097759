"""A random row of a table without sorting it."""

import random


def pick_at_random(rows, *, bounds: tuple[int, int], rng=random):
    """A random row of the queryset `rows`: the first at or after a random primary
    key between `bounds` (lowest, highest), wrapping around to the first row.

    One index probe, never ORDER BY random() over the table. Keys after a gap are
    likelier picks, which nobody browsing notices. `rng` may be seeded
    (random.Random(day)) for a pick that is the same all day.
    """
    start = rng.randint(*bounds)
    ordered = rows.order_by("pk")
    return ordered.filter(pk__gte=start).first() or ordered.first()
