"""The one search interface: the search engine (OpenSearch or Elasticsearch,
search/engines.py) when one is configured, the database otherwise, and the
database whenever the engine fails.

Both backends (a `Backend` in database.py and engine.py, made afresh for
each search) answer `search(request)` with `SearchResults` whose
`suggestion` holds their spelling correction, and `suggest(query)`. The rules
shared by both are here, once: "did you mean" only with few results, a
search with no results re-run with the correction, and suggestions as you
type that fall back to that corrected search. After an engine failure
it is skipped for OUTAGE_SECONDS, so during an outage a request costs no
timeout at all, only the quiet notice. The ranking rules both backends apply are
in ranking.py.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from ..documents import index_alias
from ..engines import SearchEngineUnavailable, configured_engine, get_engine
from ..registry import all_kinds
from ..results import SearchRequest, SearchResults, Suggestion
from . import database, engine
from .ranking import SUGGEST_LIMIT

logger = logging.getLogger(__name__)

# Fewer results than this and "did you mean" is worth offering.
FEW_RESULTS = 5

OUTAGE_SECONDS = 30
FALLBACK_NOTICE = (
    "Search is running in a simpler mode just now, so results may be ordered a little "
    "differently. Everything in the collection can still be found."
)


class EngineOutage:
    """Whether the engine at `url` is known to be down, shared by every
    process through the cache. Keyed by URL: an engine pointed elsewhere
    starts with a clean record."""

    def __init__(self, url: str):
        url_hash = hashlib.sha256(url.encode()).hexdigest()[:16]  # any URL, as a safe key
        self.skip_key = f"search:engine-down:{url_hash}"
        self.reported_key = f"search:engine-down-reported:{url_hash}"
        known = cache.get_many([self.skip_key, self.reported_key])
        self.skipping = self.skip_key in known
        self.reported = self.reported_key in known

    def record(self, exc: SearchEngineUnavailable) -> None:
        cache.set(self.skip_key, True, timeout=OUTAGE_SECONDS)
        # One line per outage, not per request: only the first process to
        # see it says so.
        if cache.add(self.reported_key, True, timeout=None):
            logger.error("Search engine unavailable, the database answers searches: %s", exc)

    def answered(self) -> None:
        if self.reported:
            cache.delete(self.reported_key)
            logger.warning("Search engine answering again: searches use it once more.")


def _with_spelling_rule(backend, request: SearchRequest) -> SearchResults:
    results = backend.search(request)
    if not request.query or results.total >= FEW_RESULTS:
        results.suggestion = ""
    elif results.total == 0 and results.suggestion and request.correct_spelling:
        corrected = backend.search(request.with_query(results.suggestion))
        if corrected.total:
            corrected.suggestion = results.suggestion
            corrected.corrected_from = request.query
            return corrected
    return results


def _ask_engine(ask):
    """`ask(engine.Backend())`, or None when no engine is configured, it is
    known to be down, or it fails now (then recorded as down)."""
    configured = configured_engine()
    if configured is None:
        return None
    outage = EngineOutage(configured[1])
    if outage.skipping:
        return None
    try:
        answer = ask(engine.Backend())
    except SearchEngineUnavailable as exc:
        outage.record(exc)
        return None
    outage.answered()
    return answer


def search(request: SearchRequest) -> SearchResults:
    results = _ask_engine(lambda backend: _with_spelling_rule(backend, request))
    if results is None:
        results = _with_spelling_rule(database.Backend(), request)
        if configured_engine():  # configured, but down
            results.fallback_notice = FALLBACK_NOTICE
    return results


def _suggest_with_spelling_rule(backend, query: str) -> list[Suggestion]:
    """What starts with the words typed; when nothing does, the words may be
    misspelt ("turnr"), so the first results the search page would show, with
    its spelling correction."""
    suggestions = backend.suggest(query)
    if suggestions:
        return suggestions
    results = _with_spelling_rule(backend, SearchRequest(query=query))
    return [Suggestion(hit.title, hit.url, hit.summary) for hit in results.hits[:SUGGEST_LIMIT]]


def suggest(query: str) -> list[Suggestion]:
    suggestions = _ask_engine(lambda backend: _suggest_with_spelling_rule(backend, query))
    if suggestions is None:
        suggestions = _suggest_with_spelling_rule(database.Backend(), query)
    return suggestions


def search_backend_status() -> dict:
    """For /healthz: is the backend the public search wants answering?

    Quick by construction: the cluster's health waits 1 s at most, whatever
    SEARCH_TIMEOUT says. Ready when every kind's alias exists.
    """
    configured = configured_engine()
    if configured is None:
        return {"status": "ok", "backend": "database"}
    name = configured[0].name
    try:
        engine = get_engine()
        health = engine.health(timeout=min(1.0, settings.SEARCH_TIMEOUT))
        aliases_exist = all(engine.alias_exists(index_alias(kind)) for kind in all_kinds())
    except SearchEngineUnavailable as exc:
        return {"status": "down", "backend": name, "fallback": "database", "error": str(exc)[:300]}
    status = "ok" if health in {"green", "yellow"} and aliases_exist else "down"
    return {
        "status": status,
        "backend": name,
        "cluster": health,
        "index": "ready" if aliases_exist else "missing: run `manage.py search_index rebuild`",
    }
