"""The search engine: OpenSearch 2 when OPENSEARCH_URL is set, Elasticsearch 9
when ELASTICSEARCH_URL is (never both: settings refuse to start), otherwise
none and the database answers every search.

Both engines take the same request bodies (built once, in search/documents.py
and search/backends/engine.py); what differs is only here, a thin transport
per engine: how to make its client, which of its library's exceptions mean
"the engine did not answer properly", and how its responses read. Every
such failure leaves this module as `SearchEngineUnavailable`, whichever the
engine.

Searches have a short timeout (SEARCH_TIMEOUT) and no transport-level
retries, so a slow or missing engine costs a request at most one timeout
before the database answers instead. Index maintenance (bulk loads,
refreshes, alias swaps, deletions) runs in tasks and commands, where a busy
engine may take longer: it waits up to MAINTENANCE_TIMEOUT.

A rebuild loads its documents through `bulk_index`: the request body written
once with orjson (the NDJSON bulk format is the same for both engines) and an
answer that lists only the documents refused, several requests at a time
from the rebuild's threads (search/services.py). Through the library's bulk
helper (stdlib json, each line encoded twice) building the bodies took a
quarter of the time of loading 100,000 objects; with orjson, a twentieth.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

import elastic_transport
import elasticsearch
import elasticsearch.helpers
import orjson
from django.conf import settings

# Seconds a maintenance call may take: refreshing a freshly loaded index of
# 100,000 documents took over 2 s on a busy node.
MAINTENANCE_TIMEOUT = 120.0
# What a bulk answer says of each document: nothing of those indexed, the
# status and error of those refused (the full answer is ten times larger).
BULK_ERRORS_ONLY = "errors,items.*.error,items.*.status,items.*._id"


class SearchEngineUnavailable(Exception):
    """The engine refused the connection, timed out, failed TLS, answered an
    error status, or its URL is not one a client can use."""


class SearchEngine(ABC):
    """What the site asks of an engine, in the request bodies both accept."""

    name: str
    # The client library's exceptions that mean "unavailable".
    errors: tuple[type[Exception], ...]
    helpers = None  # the library's bulk and scan helpers

    def __init__(self, url: str, timeout: float):
        self.url = url
        try:
            self.client = self.connect(url, timeout)  # searches, health
            self.maintenance_client = self.connect(url, MAINTENANCE_TIMEOUT)
        except ValueError as exc:  # a URL the client cannot parse
            raise self.unavailable(exc) from exc

    @abstractmethod
    def connect(self, url: str, timeout: float):
        """The library's client for `url`."""

    @abstractmethod
    def health(self, timeout: float) -> str:
        """The cluster's status (green, yellow, red), waiting at most `timeout`."""

    @staticmethod
    def body(response) -> dict:
        return response

    def unavailable(self, exc: Exception) -> SearchEngineUnavailable:
        return SearchEngineUnavailable(f"{self.name} at {self.url}: {type(exc).__name__}: {exc}")

    @contextmanager
    def answering(self) -> Iterator[None]:
        try:
            yield
        except self.errors as exc:
            raise self.unavailable(exc) from exc

    def search(self, index: list[str], body: dict) -> dict:
        # A kind registered but not yet rebuilt has no alias: search the rest.
        with self.answering():
            return self.body(self.client.search(index=index, body=body, ignore_unavailable=True))

    def alias_exists(self, alias: str) -> bool:
        with self.answering():
            return bool(self.client.indices.exists_alias(name=alias))

    # Maintenance, with the longer timeout.

    def count(self, index: str) -> int:
        with self.answering():
            return self.body(self.maintenance_client.count(index=index))["count"]

    def bulk(
        self, actions: Iterable[dict], *, chunk_size: int, wait_for_refresh: bool = False
    ) -> list[dict]:
        """Send index and delete actions; the per-document errors. With
        `wait_for_refresh`, return only once searches see the changes."""
        extra = {"refresh": "wait_for"} if wait_for_refresh else {}
        with self.answering():
            _sent, errors = self.helpers.bulk(
                self.maintenance_client,
                actions,
                chunk_size=chunk_size,
                raise_on_error=False,
                **extra,
            )
        return errors

    def bulk_index(self, index: str, documents: Iterable[tuple[int, dict]]) -> list[dict]:
        """Index (id, source) pairs into `index` in one request; the refused
        ones, as {"index": {"_id", "status", "error"}}. Thread-safe: a
        rebuild sends several at once."""
        action = b'{"index":{"_index":%s,"_id":%d}}\n'
        index_name = orjson.dumps(index)
        body = b"".join(
            action % (index_name, pk) + orjson.dumps(source) + b"\n" for pk, source in documents
        )
        if not body:
            return []
        with self.answering():
            answer = self.body(self.post_bulk(body, filter_path=BULK_ERRORS_ONLY))
        if not answer.get("errors"):
            return []
        return [item for item in answer["items"] if "error" in item.get("index", {})]

    @abstractmethod
    def post_bulk(self, body: bytes, **params):
        """POST /_bulk with this NDJSON body, through the maintenance client."""

    def scan(self, index: str, body: dict) -> Iterator[dict]:
        """Every hit of `body`, however many."""
        with self.answering():
            yield from self.helpers.scan(
                self.maintenance_client, index=index, query=body, size=1000
            )

    def create_index(self, name: str, body: dict) -> None:
        with self.answering():
            self.maintenance_client.indices.create(index=name, body=body)

    def delete_index(self, name: str) -> None:
        with self.answering():
            self.maintenance_client.indices.delete(index=name, ignore_unavailable=True)

    def refresh(self, index: str) -> None:
        with self.answering():
            self.maintenance_client.indices.refresh(index=index)

    def index_settings(self, index: str) -> dict:
        """{index name: its "index" settings}, for every index `index` names."""
        with self.answering():
            response = self.body(self.maintenance_client.indices.get_settings(index=index))
        return {name: value["settings"]["index"] for name, value in response.items()}

    def put_index_settings(self, index: str, index_settings: dict) -> None:
        with self.answering():
            self.maintenance_client.indices.put_settings(
                index=index, body={"index": index_settings}
            )

    def alias_indexes(self, alias: str) -> list[str]:
        """The indexes behind `alias`; none when it does not exist."""
        if not self.alias_exists(alias):
            return []
        with self.answering():
            return list(self.body(self.maintenance_client.indices.get_alias(name=alias)))

    def update_aliases(self, actions: list[dict]) -> None:
        """Apply every alias action at once (atomically)."""
        with self.answering():
            self.maintenance_client.indices.update_aliases(body={"actions": actions})


class Elasticsearch(SearchEngine):
    name = "elasticsearch"
    # Connection refused, timeouts and TLS failures (TransportError); error
    # statuses, including a server that is not Elasticsearch (ApiError).
    errors = (elastic_transport.TransportError, elasticsearch.ApiError)
    helpers = elasticsearch.helpers

    def connect(self, url, timeout):
        return elasticsearch.Elasticsearch(
            url, request_timeout=timeout, max_retries=0, retry_on_timeout=False
        )

    @staticmethod
    def body(response):
        return response.body

    def health(self, timeout):
        with self.answering():
            return self.client.options(request_timeout=timeout).cluster.health()["status"]

    def post_bulk(self, body, **params):
        return self.maintenance_client.bulk(operations=body, **params)


def _opensearchpy():
    """opensearch-py, imported when an OpenSearch engine is made: importing it takes
    0.2 s, which every process that searches the database or Elasticsearch (each
    test run, worker and web process) would otherwise pay at start."""
    import opensearchpy  # noqa: PLC0415
    import opensearchpy.helpers  # noqa: PLC0415

    return opensearchpy


class OpenSearch(SearchEngine):
    name = "opensearch"

    def __init__(self, url: str, timeout: float):
        opensearchpy = _opensearchpy()
        # TransportError covers connection errors, timeouts, TLS and error statuses.
        self.errors = (opensearchpy.TransportError,)
        self.helpers = opensearchpy.helpers
        super().__init__(url, timeout)

    def connect(self, url, timeout):
        return _opensearchpy().OpenSearch(
            hosts=[url],
            timeout=timeout,
            max_retries=0,
            retry_on_timeout=False,
            # urllib3 keeps one connection by default: threads searching at once
            # (or the rebuild's bulk thread) would each open and drop another.
            pool_maxsize=10,
        )

    def health(self, timeout):
        with self.answering():
            return self.client.cluster.health(request_timeout=timeout)["status"]

    def post_bulk(self, body, **params):
        return self.maintenance_client.bulk(body=body, **params)


def configured_engine() -> tuple[type[SearchEngine], str] | None:
    """The engine the settings ask for and its URL, or None."""
    if settings.OPENSEARCH_URL:
        return OpenSearch, settings.OPENSEARCH_URL
    if settings.ELASTICSEARCH_URL:
        return Elasticsearch, settings.ELASTICSEARCH_URL
    return None


def search_engine_enabled() -> bool:
    return configured_engine() is not None


@cache
def _engine_for(engine_class: type[SearchEngine], url: str, timeout: float) -> SearchEngine:
    return engine_class(url, timeout)


def get_engine() -> SearchEngine:
    """The shared engine for the current settings (one client per URL)."""
    configured = configured_engine()
    if configured is None:
        raise RuntimeError("No search engine is configured (OPENSEARCH_URL, ELASTICSEARCH_URL).")
    engine_class, url = configured
    return _engine_for(engine_class, url, settings.SEARCH_TIMEOUT)
