"""Rate limits and visitor keys for the public memory forms.

Counts live in the default cache (Redis in production, shared by every web
process). If the cache is unreachable the form stays open: losing a memory is
worse than letting a few extra through to the moderators.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

from foundation.visitors import address_key, client_address

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limited:
    scope: str  # "address" (the visitor's IP) or "email"
    limit: int
    period_text: str
    retry_after: int  # seconds until the count starts again (the Retry-After header)


def _period_text(rate: str) -> str:
    unit = rate.split("/", 1)[1]
    return {"s": "second", "m": "minute", "h": "hour", "d": "day"}.get(unit[-1], unit)


def _check(request, *, scope: str, group: str, key, rate: str) -> Limited | None:
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    except Exception:
        logger.warning("Rate limit cache unavailable; letting %s through", group, exc_info=True)
        return None
    if not (usage and usage["should_limit"]):
        return None
    # The window ends at a whole second; at its very end the count is about to reset.
    retry_after = max(usage["time_left"], 1)
    return Limited(scope, int(rate.split("/")[0]), _period_text(rate), retry_after)


def _email_normalised(email: str) -> str:
    """One address however it is written, so a per-email limit cannot be dodged
    with name+tag@ (delivered to name@ by most providers) or, at Gmail, dots and
    googlemail.com (both ignored there)."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def submission_rate_limited(request, *, email: str, kind: str = "memories") -> Limited | None:
    """Count one submission against the visitor's address and their email address.
    Each kind of contribution (memories, identifications) is counted on its own."""
    email_key = hashlib.sha256(_email_normalised(email).encode()).hexdigest()
    return _check(
        request,
        scope="address",
        group=f"{kind}.submit.ip",
        key="ip",
        rate=settings.MEMORIES_RATE_PER_IP,
    ) or _check(
        request,
        scope="email",
        group=f"{kind}.submit.email",
        key=lambda group, request: email_key,
        rate=settings.MEMORIES_RATE_PER_EMAIL,
    )


def lookup_rate_limited(request, *, group: str) -> Limited | None:
    """For the lost-link and report forms: one limit per visitor address."""
    return _check(
        request, scope="address", group=group, key="ip", rate=settings.MEMORIES_RATE_LOOKUPS
    )


def visitor_key(request) -> str:
    """A keyed hash of the visitor's address: counts reports without storing IPs."""
    return address_key(client_address(request))
