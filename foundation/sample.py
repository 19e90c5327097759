"""Whether a page shows sample content: records the demo loaders made, which are not
in BAC's archive. base.html then shows its "sample data" banner (`shows_sample_data`)."""

from collections.abc import Iterable


def shows_sample_content(*groups: Iterable) -> bool:
    """True if any record in any of `groups` is marked `is_sample_content`. A group may
    hold None (a search hit whose record has just gone) or records without the flag."""
    return any(getattr(record, "is_sample_content", False) for group in groups for record in group)
