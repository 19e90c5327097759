"""The Elasticsearch connection: on only when ELASTICSEARCH_URL is set.

Every call has a short timeout (ELASTICSEARCH_TIMEOUT) and no transport-level
retries, so a slow or missing cluster costs a request at most one timeout
before the database answers instead.
"""

from functools import cache

from django.conf import settings
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch
from elasticsearch.dsl import connections

# What "the cluster did not answer properly" looks like: connection refused,
# timeouts and TLS failures (TransportError) and error statuses (ApiError).
ElasticsearchUnavailable = (TransportError, ApiError)

CONNECTION_ALIAS = "default"


def elasticsearch_enabled() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


@cache
def _client_for(url: str, timeout: float) -> Elasticsearch:
    client = Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)
    connections.add_connection(CONNECTION_ALIAS, client)
    return client


def get_client() -> Elasticsearch:
    """The shared client, also registered as elasticsearch.dsl's default connection."""
    if not elasticsearch_enabled():
        raise RuntimeError("ELASTICSEARCH_URL is not set: Elasticsearch is switched off.")
    return _client_for(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT)
