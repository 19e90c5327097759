"""Opaque cursors for keyset pagination.

A cursor carries the primary key of the last item a client has seen, so the
next page is `WHERE pk > last ORDER BY pk LIMIT n`: one index range scan, as
fast at page 5,000 as at page 1, whatever is published or withdrawn between
requests. Clients must treat cursors as opaque; the encoding may change.
"""

import base64
import binascii
import json

CURSOR_VERSION = 1


class InvalidCursor(ValueError):
    """The cursor was not made by this API (or was damaged in transit)."""


def cursor_encode(*, after_pk: int) -> str:
    payload = json.dumps({"v": CURSOR_VERSION, "after": after_pk}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    """The primary key a cursor points after; raises InvalidCursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = payload["after"] if payload.get("v") == CURSOR_VERSION else None
    except (binascii.Error, UnicodeError, ValueError, TypeError, KeyError, AttributeError):
        raise InvalidCursor(cursor)
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**63:
        raise InvalidCursor(cursor)
    return after
