"""The one search interface: Elasticsearch when ELASTICSEARCH_URL is set,
the database otherwise, and the database whenever Elasticsearch fails.

Both backends (a `Backend` in database.py and elasticsearch.py, made afresh
for each search) answer `search(request)` with `SearchResults` whose
`suggestion` holds their spelling correction, and `suggest(query)`. The rules
shared by both are here, once: "did you mean" only with few results, and a
search with no results re-run with the correction. After an Elasticsearch
failure it is skipped for OUTAGE_SECONDS, so during an outage a request costs
no timeout at all, only the quiet notice.
"""

import logging

from django.conf import settings
from django.core.cache import cache

from ..client import ElasticsearchUnavailable, elasticsearch_enabled, get_client
from ..results import SearchRequest, SearchResults, Suggestion

logger = logging.getLogger(__name__)

# Fewer results than this and "did you mean" is worth offering.
FEW_RESULTS = 5
SUGGEST_LIMIT = 8
# Of equal relevance, a record with an image comes first.
IMAGE_BOOST = 1.1

OUTAGE_CACHE_KEY = "search:elasticsearch-down"
OUTAGE_SECONDS = 30
FALLBACK_NOTICE = (
    "Search is running in a simpler mode just now, so results may be ordered a little "
    "differently. Everything in the collection can still be found."
)


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


def _elasticsearch_usable() -> bool:
    return elasticsearch_enabled() and not cache.get(OUTAGE_CACHE_KEY)


def _record_outage(exc: Exception) -> None:
    logger.warning("Elasticsearch unavailable, searching the database instead: %s", exc)
    cache.set(OUTAGE_CACHE_KEY, True, timeout=OUTAGE_SECONDS)


def search(request: SearchRequest) -> SearchResults:
    from . import database, elasticsearch

    if _elasticsearch_usable():
        try:
            return _with_spelling_rule(elasticsearch.Backend(), request)
        except ElasticsearchUnavailable as exc:
            _record_outage(exc)
    results = _with_spelling_rule(database.Backend(), request)
    if elasticsearch_enabled():  # configured, but down
        results.fallback_notice = FALLBACK_NOTICE
    return results


def suggest(query: str) -> list[Suggestion]:
    from . import database, elasticsearch

    if _elasticsearch_usable():
        try:
            return elasticsearch.Backend().suggest(query)
        except ElasticsearchUnavailable as exc:
            _record_outage(exc)
    return database.Backend().suggest(query)


def search_backend_status() -> dict:
    """For /healthz: is the backend the public search wants answering?

    Quick by construction: one cluster call with a 1 s cap, whatever
    ELASTICSEARCH_TIMEOUT says. Ready when every kind's alias exists.
    """
    from ..documents import index_alias
    from ..registry import all_kinds

    if not elasticsearch_enabled():
        return {"status": "ok", "backend": "database"}
    try:
        client = get_client().options(request_timeout=min(1.0, settings.ELASTICSEARCH_TIMEOUT))
        health = client.cluster.health()
        aliases_exist = all(
            client.indices.exists_alias(name=index_alias(kind)) for kind in all_kinds()
        )
    except ElasticsearchUnavailable as exc:
        return {
            "status": "down",
            "backend": "elasticsearch",
            "fallback": "database",
            "error": f"{type(exc).__name__}: {exc}"[:300],
        }
    status = "ok" if health["status"] in {"green", "yellow"} and aliases_exist else "down"
    return {
        "status": status,
        "backend": "elasticsearch",
        "cluster": health["status"],
        "index": "ready" if aliases_exist else "missing: run `manage.py search_index rebuild`",
    }
