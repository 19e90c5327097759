"""Counting page views and reuse of the open data, identifying no one.

Counted per day, then moved to daily rows by the flush (impact.services.impact_flush):

- page views by kind (PageKind), by device class (phone, tablet or desktop, read
  from the user agent by ua-parser) and by referrer *domain*, never its URL (this
  site's own pages are "internal", no referrer is "direct");
- approximate unique visitors: a hash of (the day's salt, address, user agent) is
  added to the day's HyperLogLog, a sketch from which no hash, let alone an
  address, can be read back. The salt is random and lives in Redis only until the
  end of its day (and, for that day, in each web process's memory): after
  midnight nobody can tell whether anyone was among the day's visitors;
- searches (their first page of results), and whether they found nothing; and
  their terms, lowercased with whitespace collapsed, counted under a hash salted
  with the day's salt: a term's text is kept only once searched
  buffer.TERM_MIN_DAILY times that day, and the flush drops the rest with the day.
  A search page shows its term, so it may be kept only on the same condition: the
  middleware marks a page whose term is not yet that common today (common_search_term)
  `Cache-Control: private`, and the page cache (pages.cache), like any shared cache,
  stores no private page;
- the objects seen (their ids, for ObjectFirstSeen);
- reuse: API requests, bulk download files and IIIF manifests, by referrer domain
  or by client software name (the first product token of the user agent:
  "python-requests"), counted in aggregate only.

Nothing is counted for requests sending `Sec-GPC: 1` or `DNT: 1`, and page views by
crawlers (crawlerdetect) are not counted. No cookie is read or set, and no address
or user agent is written anywhere: ua-parser and crawlerdetect keep recent
user-agent strings in a bounded cache in the web process's memory, for speed.

A counted request costs no database query and no wait on Redis: its counts join
this process's buffer (impact.buffer), sent to Redis once a second. The first
counted request of a day in each process reads the day's salt from Redis. Pages
served by the page cache are counted too (count_cached_page, on
pages.cache.page_cache_hit): the middleware labels each response with its kind
(`impact_kind`), and the page cache keeps the label with the page, as it keeps the
object page's `counted_object_id` and the search page's `search_result_count`.
"""

import functools
import hashlib
import ipaddress
import logging
import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import ua_parser
from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_cache_control
from redis.exceptions import RedisError

from api.dumps import MANIFEST_NAME
from foundation.visitors import client_address
from pages.cache import EXEMPT_PREFIXES

from .buffer import TERM_MIN_DAILY, impact_buffer_add, impact_buffer_term_searches, pause, paused
from .models import Metric, PageKind
from .store import day_key, end_of_day, impact_redis

logger = logging.getLogger(__name__)

TERM_MAX_LENGTH = 100

VIEW_KINDS = {"objects:object": PageKind.OBJECT, "search:search": PageKind.SEARCH}
REUSE_VIEWS = {"iiif:manifest": Metric.MANIFEST, "opendata:download": Metric.DOWNLOAD}
# The API's documentation and schema are read by people finding their way, not reuse.
API_DOCS = {"api:openapi-view", "api:openapi-json"}

TABLET_MARKERS = ("ipad", "tablet", "kindle")
MOBILE_SYSTEMS = {"iOS", "Android", "Windows Phone", "KaiOS", "BlackBerry OS", "HarmonyOS"}
DOMAIN = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")
CLIENT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,39}")

_crawlers = CrawlerDetect()
_salt = {"day": None, "value": ""}
_today = {"day": None, "until": 0.0}


@dataclass
class Tally:
    """What one request adds to its day."""

    fields: list[str]  # "metric|key" entries of the day's counts
    visitor: bool = False
    object_id: int | None = None
    term: str = ""
    zero_results: bool = False


class ImpactCountingMiddleware:
    """Counts what views answer. Sits just inside the page cache middleware, so the
    kind it writes on a response is stored with the cached page, and a search page
    it marks private (its term not yet common today) is not stored at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.resolver_match is not None:
            response.impact_kind = page_kind(request)
        impact_record(request=request, response=response)
        # search_result_count: set by the search view when the page shows a query.
        shows_term = getattr(response, "search_result_count", None) is not None
        if shows_term and not common_search_term(request.GET.get("q", "")):
            patch_cache_control(response, private=True)
        return response


def count_cached_page(sender, request, response, **kwargs) -> None:
    """pages.cache.page_cache_hit: a page served from the cache is a view too."""
    impact_record(request=request, response=response)


def impact_record(*, request, response) -> None:
    """Count one answered request, if it counts. Never raises: a lost count is
    better than a failed page."""
    if paused():
        return
    try:
        tally = _tally(request, response)
        if tally is not None:
            _write(request, tally)
    except RedisError as error:  # reading the day's salt
        pause(error)
    except Exception:
        logger.exception("Could not count a request")


def opted_out(request) -> bool:
    # request.META, not request.headers: building the latter costs more than counting.
    meta = request.META
    return meta.get("HTTP_SEC_GPC", "").strip() == "1" or meta.get("HTTP_DNT", "").strip() == "1"


def page_kind(request) -> str:
    labelled = getattr(request, "impact_page_kind", None)  # Wagtail pages: wagtail_hooks.py
    if labelled:
        return labelled
    match = request.resolver_match
    if match.view_name in VIEW_KINDS:
        return VIEW_KINDS[match.view_name]
    return PageKind.MEMORY if "memories" in match.namespaces else PageKind.OTHER


def wagtail_page_kind(page) -> str:
    page_class = page.specific_class
    if page_class is None:
        return PageKind.OTHER
    if page_class._meta.app_label == "stories":
        return PageKind.STORY
    if getattr(page_class, "site_link", "") == "open_data":
        return PageKind.OPEN_DATA
    return PageKind.OTHER


def device_class(user_agent: str) -> str:
    result = ua_parser.parse(user_agent)
    device = result.device
    described = (
        " ".join(filter(None, (device.family, device.brand, device.model))) if device else ""
    )
    if any(marker in described.lower() for marker in TABLET_MARKERS):
        return "tablet"
    if result.os and result.os.family in MOBILE_SYSTEMS:
        return "phone"
    return "desktop"


@functools.lru_cache(maxsize=4096)
def browser_device(user_agent: str) -> str | None:
    """A user agent's device class, or None for a crawler. Sites see the same few
    user agents over and over: each is parsed and checked once (while it stays among
    the last 4,096 seen), and held in this process's memory only."""
    return None if _crawlers.is_crawler(user_agent) else device_class(user_agent)


def referrer_domain(request) -> str:
    """The referring site's domain: "internal" for this site, "direct" for none, and
    "other" for anything that is not a domain name (an IP address could be a person's)."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return "direct"
    try:
        host = urlsplit(referer).hostname or ""
    except ValueError:
        return "other"
    if host in _own_hosts(request):
        return "internal"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        host = host.removeprefix("www.")
        return host[:120] if DOMAIN.fullmatch(host) else "other"
    return "other"


def _own_hosts(request) -> set[str]:
    return {
        urlsplit(f"//{request.get_host()}").hostname,
        urlsplit(settings.SITE_BASE_URL).hostname,
    }


def client_name(user_agent: str) -> str:
    """The client software's name, from the first product token ("python-requests/2.32"),
    or "" for a browser (every browser's first token is "Mozilla")."""
    token = user_agent.split("/", 1)[0].strip()
    match = CLIENT_NAME.fullmatch(token)
    if match is None or token.lower() == "mozilla":
        return ""
    return token.lower()


def reuse_source(request, user_agent: str) -> str:
    name = client_name(user_agent)
    return f"client:{name}" if name else f"web:{referrer_domain(request)}"


def search_term(text: str) -> str:
    return " ".join(text.lower().split())[:TERM_MAX_LENGTH]


def common_search_term(text: str) -> bool:
    """Whether the search for `text` has been counted TERM_MIN_DAILY times today, by
    every process (in Redis, read in one round trip) and by this one (its counts not
    yet sent), the condition for its text to be kept anywhere. Not known (no Redis,
    counting paused, Redis failing) is no."""
    term = search_term(text)
    client = impact_redis()
    if not term or client is None or paused():
        return False
    try:
        day = _local_day()
        salt = _salt["value"] if _salt["day"] == day else client.get(day_key(day, "salt"))
        if not salt:  # nothing counted today (and no salt made by asking)
            return False
        term_hash = _hash(salt, term)
        if impact_buffer_term_searches(day, term_hash) >= TERM_MIN_DAILY:
            return True
        pipe = client.pipeline(transaction=False)
        pipe.hget(day_key(day, "terms"), term_hash)
        # Set once the day's total reached TERM_MIN_DAILY (the total itself moves to
        # the database with each flush).
        pipe.hexists(day_key(day, "term-texts"), term_hash)
        total, known = pipe.execute()
    except RedisError:
        return False
    pending = impact_buffer_term_searches(day, term_hash)
    return known or int(total or 0) + pending >= TERM_MIN_DAILY


def _tally(request, response) -> Tally | None:
    if request.method != "GET" or opted_out(request):
        return None
    match = request.resolver_match
    if match is None or request.path_info.startswith(EXEMPT_PREFIXES):
        return None
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    reuse = _reuse_metric(match)
    if reuse is not None:
        if response.status_code not in (200, 304):
            return None
        return Tally([f"{reuse}|{reuse_source(request, user_agent)}"])
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return None
    device = browser_device(user_agent) if user_agent else None
    if device is None:
        return None
    kind = getattr(response, "impact_kind", None) or page_kind(request)
    tally = Tally(
        [
            f"{Metric.VIEWS}|{kind}",
            f"{Metric.DEVICE}|{device}",
            f"{Metric.REFERRER}|{referrer_domain(request)}",
        ],
        visitor=True,
    )
    if kind == PageKind.OBJECT:
        tally.object_id = getattr(response, "counted_object_id", None)
    result_count = getattr(response, "search_result_count", None)
    if kind == PageKind.SEARCH and result_count is not None and _first_page(request):
        tally.term = search_term(request.GET.get("q", ""))
        tally.zero_results = result_count == 0
        if tally.term:
            tally.fields.append(f"{Metric.SEARCHES}|{'nothing' if tally.zero_results else 'found'}")
    return tally


def _reuse_metric(match) -> str | None:
    if match.view_name in REUSE_VIEWS:
        if match.kwargs.get("filename") == MANIFEST_NAME:
            return None  # the dump's table of contents, not a download of data
        return REUSE_VIEWS[match.view_name]
    if "api" in match.namespaces and match.view_name not in API_DOCS:
        return Metric.API
    return None


def _first_page(request) -> bool:
    # Paging through results, or narrowing them by a facet, is the same search.
    return request.GET.get("page", "1") in ("", "1")


def _write(request, tally: Tally) -> None:
    client = impact_redis()
    if client is None:
        return
    day = _local_day()
    salt = _day_salt(client, day) if tally.visitor or tally.term else ""
    visitor = None
    if tally.visitor:
        user_agent = request.META.get("HTTP_USER_AGENT", "")
        visitor = _hash(salt, f"{client_address(request)}\0{user_agent}")
    term = (_hash(salt, tally.term), tally.term, tally.zero_results) if tally.term else None
    impact_buffer_add(
        day=day, fields=tally.fields, visitor=visitor, object_id=tally.object_id, term=term
    )


def _local_day():
    """Today in the site's time zone, worked out again only when the day is over
    (timezone.localdate() costs a sizeable part of counting a view)."""
    if time.time() >= _today["until"]:
        day = timezone.localdate()
        _today.update(day=day, until=end_of_day(day))
    return _today["day"]


def _day_salt(client, day) -> str:
    """The day's random salt: made by the first request of the day (in any process),
    gone from Redis at midnight, and replaced in this process by the next day's."""
    if _salt["day"] != day:
        key = day_key(day, "salt")
        pipe = client.pipeline(transaction=False)
        pipe.set(key, secrets.token_hex(32), nx=True, exat=end_of_day(day))
        pipe.get(key)
        _, value = pipe.execute()
        _salt.update(day=day, value=value)
    return _salt["value"]


def _hash(salt: str, text: str) -> str:
    """`text` hashed with the day's salt as the key (keyed BLAKE2: a MAC, and fast)."""
    return hashlib.blake2b(text.encode(), key=salt.encode()[:64], digest_size=16).hexdigest()
