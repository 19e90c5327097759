"""The one search interface: Elasticsearch when ELASTICSEARCH_URL is set,
the database otherwise, and the database whenever Elasticsearch fails.

After a failure Elasticsearch is skipped for OUTAGE_SECONDS, so during an
outage each request costs no timeout at all, only the quiet notice.
"""

import logging

from django.conf import settings
from django.core.cache import cache

from .client import ElasticsearchUnavailable, elasticsearch_enabled, get_client, object_index_alias
from .database import database_search, database_suggest
from .results import SearchRequest, SearchResults, Suggestion

logger = logging.getLogger(__name__)

OUTAGE_CACHE_KEY = "search:elasticsearch-down"
OUTAGE_SECONDS = 30
FALLBACK_NOTICE = (
    "Search is running in a simpler mode just now, so results may be ordered a little "
    "differently. Everything in the collection can still be found."
)


def _elasticsearch_usable() -> bool:
    return elasticsearch_enabled() and not cache.get(OUTAGE_CACHE_KEY)


def _record_outage(exc: Exception) -> None:
    logger.warning("Elasticsearch unavailable, searching the database instead: %s", exc)
    cache.set(OUTAGE_CACHE_KEY, True, timeout=OUTAGE_SECONDS)


def search(request: SearchRequest) -> SearchResults:
    if _elasticsearch_usable():
        from .faceted import elasticsearch_search

        try:
            return elasticsearch_search(request)
        except ElasticsearchUnavailable as exc:
            _record_outage(exc)
            results = database_search(request)
            results.fallback_notice = FALLBACK_NOTICE
            return results
    results = database_search(request)
    if elasticsearch_enabled():  # configured, but known to be down
        results.fallback_notice = FALLBACK_NOTICE
    return results


def suggest(query: str) -> list[Suggestion]:
    if _elasticsearch_usable():
        from .faceted import elasticsearch_suggest

        try:
            return elasticsearch_suggest(query)
        except ElasticsearchUnavailable as exc:
            _record_outage(exc)
    return database_suggest(query)


def search_backend_status() -> dict:
    """For /healthz: is the backend the public search wants answering?

    Quick by construction: one cluster call with a 1 s cap, whatever
    ELASTICSEARCH_TIMEOUT says.
    """
    if not elasticsearch_enabled():
        return {"status": "ok", "backend": "database"}
    try:
        client = get_client().options(request_timeout=min(1.0, settings.ELASTICSEARCH_TIMEOUT))
        health = client.cluster.health()
        alias_exists = bool(client.indices.exists_alias(name=object_index_alias()))
    except ElasticsearchUnavailable as exc:
        return {
            "status": "down",
            "backend": "elasticsearch",
            "fallback": "database",
            "error": f"{type(exc).__name__}: {exc}"[:300],
        }
    status = "ok" if health["status"] in {"green", "yellow"} and alias_exists else "down"
    return {
        "status": status,
        "backend": "elasticsearch",
        "cluster": health["status"],
        "index": "ready" if alias_exists else "missing: run `manage.py search_index rebuild`",
    }
