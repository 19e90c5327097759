"""The visitor's address, for rate limits and the memory forms' visitor hash, and
the keyed hash every cache key counting per address is made of (never the address).

Behind proxies every request comes from the last proxy's address, so a limit
per REMOTE_ADDR would count all visitors as one. With `NUM_PROXIES` set to the
number of proxies in front of the site, the address is the one the first of
them saw: that many entries from the right of X-Forwarded-For (entries further
left are whatever the client chose to send). With 0, REMOTE_ADDR, so a client
cannot dodge a limit with a header of its own. The API's throttling reads the
same setting (NINJA_NUM_PROXIES).
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: a misconfigured proxy, or a forged header
        return remote


def keyed_sha256(data: bytes):
    """SHA-256 keyed with SECRET_KEY (HMAC): an address (a few billion possibilities)
    cannot be found again from it by hashing every candidate, as from a plain hash."""
    return hmac.new(settings.SECRET_KEY.encode(), data, hashlib.sha256)


def address_key(address: str) -> str:
    """What limits per address count under, in place of the address."""
    return keyed_sha256(address.encode()).hexdigest()
