"""Rate limits and visitor keys for the public memory forms.

Counts live in the default cache (Redis in production, shared by every web
process). If the cache is unreachable the form stays open: losing a memory is
worse than letting a few extra through to the moderators.
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

from bac_collection.client_address import client_address

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limited:
    scope: str  # "address" (the visitor's IP) or "email"
    limit: int
    period_text: str


def _period_text(rate: str) -> str:
    unit = rate.split("/", 1)[1]
    return {"s": "second", "m": "minute", "h": "hour", "d": "day"}.get(unit[-1], unit)


def _check(request, *, group: str, key, rate: str) -> bool:
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    except Exception:
        logger.warning("Rate limit cache unavailable; letting %s through", group, exc_info=True)
        return False
    return bool(usage and usage["should_limit"])


def submission_rate_limited(request, *, email: str) -> Limited | None:
    """Count one submission against the visitor's address and their email address."""
    ip_rate = settings.MEMORIES_RATE_PER_IP
    email_rate = settings.MEMORIES_RATE_PER_EMAIL
    if _check(request, group="memories.submit.ip", key="ip", rate=ip_rate):
        return Limited("address", int(ip_rate.split("/")[0]), _period_text(ip_rate))
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    if _check(request, group="memories.submit.email", key=lambda g, r: email_key, rate=email_rate):
        return Limited("email", int(email_rate.split("/")[0]), _period_text(email_rate))
    return None


def lookup_rate_limited(request, *, group: str) -> Limited | None:
    """For the lost-link and report forms: one limit per visitor address."""
    rate = settings.MEMORIES_RATE_LOOKUPS
    if _check(request, group=group, key="ip", rate=rate):
        return Limited("address", int(rate.split("/")[0]), _period_text(rate))
    return None


def visitor_key(request) -> str:
    """A keyed hash of the visitor's address: counts reports without storing IPs."""
    address = client_address(request)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
