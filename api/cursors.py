"""Opaque cursors for keyset pagination.

A cursor carries the primary key of the last item a client has seen, so the
next page is `WHERE pk > last ORDER BY pk LIMIT n`: one index range scan, as
fast at page 5,000 as at page 1, whatever is published or withdrawn between
requests. Clients must treat cursors as opaque; the encoding may change.

A cursor is the key as 8 bytes, big-endian, in unpadded URL-safe base64:
always 11 characters. CURSOR_PATTERN matches exactly the cursors of keys
0 to 2**63 - 1, so the OpenAPI schema describes every valid cursor and only
those: a client (or a fuzzer) that sends any string the schema allows gets
a page, and anything else is a 400 from validation.
"""

import base64

# First character: the key's top bit is 0 (A-Z, a-f are the values 0-31). Last
# character: 4 bits of the key then 2 zero bits (the values divisible by 4).
CURSOR_PATTERN = r"^[A-Za-f][A-Za-z0-9_-]{9}[AEIMQUYcgkosw048]$"


def cursor_encode(*, after_pk: int) -> str:
    return base64.urlsafe_b64encode(after_pk.to_bytes(8, "big")).decode().rstrip("=")


def cursor_decode(cursor: str) -> int:
    """The primary key a cursor points after. `cursor` matches CURSOR_PATTERN
    (the API's schema checks it first)."""
    return int.from_bytes(base64.urlsafe_b64decode(cursor + "="), "big")
