"""The page cache's API for the apps whose content public pages show: the tags a page
can depend on, the generations caches derived from content are keyed on, saying what
a page shows while it renders, and bumping when something changes. The middleware that
serves and stores pages is the site's (pages/cache.py); it reads what is recorded here.

Pages are cached under *generations*: counters in the cache that every change bumps.
A change bumps the generations of what it touches (its *tags*) and the *changes*
generation, which every change bumps:

- a page that says nothing of what it shows depends on the changes generation, so any
  change at all retires it (the safe default);
- a page that says what it shows (`page_cache_depends_on`, called while it renders)
  depends on the site generation, the tags it names, and a tag for every record it
  loaded (`page_cache_record_tags`: `object:<id>` for every CollectionObject a page
  builds, for instance).

Tags, and the pages that show them:

- `object:<id>`: every page that loaded the object (its page, the lists and related
  objects it appears in, stories, search results), recorded as it renders.
- `objects` (OBJECTS): which objects collection lists hold and in what order, with
  their counts and facets (browse, maker, production, subject and place pages, home).
  `objects:titles` (TITLES) when a title changes (browse sorted by title).
- `objects:production:<id>`, `objects:maker:<id>`: an object page's "more from this
  production" and "more by" lists.
- `memory:<id>`: every page that loaded the memory, recorded as it renders.
- `memories` (MEMORIES): lists of memories (home, /memories/, production pages);
  `memories:object:<id>`: an object page's memories.
- `story:<id>`: every page that loaded the story (its page, the cards showing it on
  home, the listing and the objects it features), recorded as it renders.
  `stories` (STORIES): lists of stories (home).
- `image:<id>`: every page that loaded the image (its renditions with it).
- `maker:<id>`, `production:<id>`, `subject:<id>`, `place:<id>`, `objecttype:<id>`:
  every page that loaded the term (its own page, the objects naming it).
- `search` (SEARCH): search results, bumped when the search index changes.
- `opendata` (OPEN_DATA): the Open data page (the dump writer's files).
- `site` (SITE): changes with no narrower tag; every precise page depends on it.

What a change to a model retires is declared in foundation/page_cache_changes.py.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db.models.signals import post_init

from bac_collection.cache import cache_degraded

logger = logging.getLogger(__name__)

# Bumped by every change: pages that do not say what they show depend on it, and a
# page whose render overlapped a change is not stored. Caches derived from content
# (counts, facets) are keyed on it too (`page_cache_generation()`).
GENERATION_KEY = "pagecache:generation"
TAG_PREFIX = "pagecache:tag:"

SITE = "site"
OBJECTS = "objects"
# The order of lists sorted by title (browse's title sorts): a new title moves the
# object there, and in no other list.
TITLES = "objects:titles"
MEMORIES = "memories"
STORIES = "stories"
SEARCH = "search"
# The Open data page, which lists the files of the latest bulk dump.
OPEN_DATA = "opendata"


def tag_key(tag: str) -> str:
    return f"{TAG_PREFIX}{tag}"


def _fresh_generation() -> int:
    # From the clock, so a generation lost from the cache never comes back to a number
    # that pages still stored were cached under.
    return int(time.time() * 1000)


# The generations the request being served has read, by key: a page asks for the
# site generation up to six times (its footer, featured stories, the stories index,
# the site root...), a round trip each. One request sees one generation of each tag,
# but its own bumps. None outside a request (workers, commands): they always read
# the cache.
_request_generations: ContextVar[dict[str, int] | None] = ContextVar(
    "page_cache_request_generations", default=None
)


def page_cache_request_started(**kwargs) -> None:
    _request_generations.set({})


def page_cache_request_finished(**kwargs) -> None:
    _request_generations.set(None)


def page_cache_generation(tag: str | None = None) -> int:
    """The generation of `tag` (by default the changes generation, which every change
    bumps), for caches derived from content; 0 (cache nothing) while the cache is
    unreliable. Read once per request."""
    if cache_degraded():
        # Its local fallback would give each process a page cache of its own, which
        # no invalidation reaches: render every page until Redis answers again.
        return 0
    key = GENERATION_KEY if tag is None else tag_key(tag)
    read = _request_generations.get()
    if read is not None and key in read:
        return read[key]
    try:
        generation = cache.get_or_set(key, _fresh_generation, timeout=None)
    except Exception:  # the cache being down must never break a page
        logger.warning("Page cache unavailable", exc_info=True)
        return 0
    if cache_degraded():  # that very call found Redis down
        return 0
    if read is not None:
        read[key] = generation
    return generation


# Called when a bump could not reach the cache (Redis down): the site records it
# where the pages it stores can see it once Redis is back (pages/cache.py's epoch).
_unreached_bump_handlers: list[Callable[[], None]] = []


def page_cache_on_unreached_bump(handler: Callable[[], None]) -> None:
    if handler not in _unreached_bump_handlers:
        _unreached_bump_handlers.append(handler)


def _unreached() -> None:
    for handler in _unreached_bump_handlers:
        handler()


# How many bumps could not reach the cache so far, as the site records them (pages/
# cache.py's epoch): what the cache keeps is keyed on it, so those bumps retire all.
_epoch_readers: list[Callable[[], int]] = []


def page_cache_epoch_from(reader: Callable[[], int]) -> None:
    if reader not in _epoch_readers:
        _epoch_readers.append(reader)


def page_cache_epoch() -> int:
    return sum(reader() for reader in _epoch_readers)


def page_cache_bump(*tags: str) -> None:
    """Retire the pages that show `tags` (by default every page). Cheap whatever the
    number of tags: two round trips, the changes generation's INCR then every tag's
    new generation in one MSET (while Redis is down, the unreached-bump handlers,
    which retire every page)."""
    tag_keys = [tag_key(tag) for tag in dict.fromkeys(tags or (SITE,))]
    read = _request_generations.get()
    if read is not None:  # the rest of this request sees its own change
        read.clear()
    try:
        # The changes generation first: a page being stored reads it with its tags'
        # (pages/cache.py) and is dropped if it moved meanwhile.
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet (or it was evicted): start a new one
            cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)
        # A generation only has to differ from every earlier one of its tag: a value
        # from the clock, in nanoseconds, set for all the tags at once (an import's
        # thousand objects cost one round trip, not a thousand INCRs).
        cache.set_many(dict.fromkeys(tag_keys, _new_tag_generation()), timeout=None)
    except Exception:
        logger.warning("Could not bump the page cache generation", exc_info=True)
        _unreached()
        return
    if cache_degraded():  # the bump reached only this process's fallback
        _unreached()


_last_tag_generation = {"value": 0}


def _new_tag_generation() -> int:
    # Strictly increasing within this process even if two bumps share a clock tick;
    # across processes the nanosecond clock keeps two bumps apart.
    value = max(time.time_ns(), _last_tag_generation["value"] + 1)
    _last_tag_generation["value"] = value
    return value


# --- What a page shows ----------------------------------------------------------


class PageDependencies:
    """What the page being rendered said it shows."""

    __slots__ = ("counters", "precise", "tags")

    def __init__(self):
        self.precise = False
        self.tags: set[str] = set()
        self.counters: list[str] = []


_recording: ContextVar[PageDependencies | None] = ContextVar("page_cache_recording", default=None)
_record_prefixes: dict = {}


@contextmanager
def page_cache_recording() -> Iterator[PageDependencies]:
    """Record what the page rendered inside says it shows (the middleware's render)."""
    dependencies = PageDependencies()
    token = _recording.set(dependencies)
    try:
        yield dependencies
    finally:
        _recording.reset(token)


@contextmanager
def page_cache_fragment_recording() -> Iterator[PageDependencies]:
    """Record what a fragment rendered inside shows (foundation/fragment_cache.py); the
    page around it, if one is being recorded, shows the same."""
    outer = _recording.get()
    with page_cache_recording() as dependencies:
        yield dependencies
    if outer is not None:
        outer.tags.update(dependencies.tags)


def page_cache_shows(*tags: str) -> None:
    """Called while a page renders: it shows `tags`, as if it had loaded their records
    (a fragment served from the cache), without saying that is all it shows."""
    recording = _recording.get()
    if recording is not None:
        recording.tags.update(tags)


def page_cache_depends_on(*tags: str) -> None:
    """Called while a page renders: it shows `tags` (beside the records it loads, see
    page_cache_record_tags) and nothing else that changes without bumping the site
    generation. Only changes to those retire it. A page that never calls this is
    retired by every change. Outside a cached render (staff, previews) it does nothing."""
    recording = _recording.get()
    if recording is not None:
        recording.precise = True
        recording.tags.update(tags)


def page_cache_count_hits(key: str) -> None:
    """Called while a page renders: each time the page cache serves this page, add 1
    to the cache counter `key` (an object page's view count), with no request of its
    own. Outside a cached render it does nothing."""
    recording = _recording.get()
    if recording is not None and key not in recording.counters:
        recording.counters.append(key)


def page_cache_record_tags(model, prefix: str) -> None:
    """Every `model` instance built while a page renders adds the tag `<prefix>:<pk>`
    to that page. (Instances unpickled from a cache are not built: a cache of model
    instances must declare their tags itself.)"""
    _record_prefixes[model] = prefix
    post_init.connect(_record_instance, sender=model, dispatch_uid=f"pagecache:{prefix}:record")


def _record_instance(sender, instance, **kwargs) -> None:
    recording = _recording.get()
    if recording is not None and instance.pk is not None:
        recording.tags.add(f"{_record_prefixes[sender]}:{instance.pk}")
