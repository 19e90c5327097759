"""Two running sites timed over HTTP, request by request: what `bench_versus` prints.

Each request opens its own connection (gunicorn's sync workers close it after the
response anyway) and only one is in flight at a time, so both sites see the same
single visitor. The two sites' requests alternate within every round, and which
site goes first alternates between rounds, so a burst of load on this shared
machine falls on both alike.
"""

import http.client
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 30
# A browser's, sent to both sites: without one this site takes the visitor for a
# crawler and counts no search, so no search term ever becomes common enough for
# its page to be kept in the page cache (impact/counting.py).
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


class Unreachable(Exception):
    """A site did not answer, or answered a page with something other than 200."""


@dataclass(frozen=True)
class Site:
    """A base URL: scheme, host and port, no path."""

    base: str
    host: str
    port: int

    @classmethod
    def parse(cls, base: str) -> "Site":
        parts = urlsplit(base)
        if parts.scheme != "http" or not parts.hostname or parts.path not in ("", "/"):
            raise ValueError(f"{base!r}: give a base URL such as http://127.0.0.1:8000")
        return cls(base=base.rstrip("/"), host=parts.hostname, port=parts.port or 80)


@dataclass(frozen=True)
class Pair:
    """One row: a page of ours and its counterpart on the other site."""

    name: str
    ours: str
    theirs: str


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return len(self.seconds) / sum(self.seconds)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


def get(site: Site, path: str) -> tuple[int, float]:
    """GET `path` on a fresh connection: (status, seconds until the body is read)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(site.host, site.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request(
            "GET",
            path,
            headers={"Host": site.host, "Accept-Encoding": "gzip", "User-Agent": USER_AGENT},
        )
        response = connection.getresponse()
        response.read()
    except OSError as error:
        raise Unreachable(f"{site.base}{path}: {error}") from error
    finally:
        connection.close()
    return response.status, time.perf_counter() - started


def check(site: Site, paths: list[str]) -> None:
    """Each path answers 200 (which also warms the site's connections and caches)."""
    for path in paths:
        status, _ = get(site, path)
        if status != 200:
            raise Unreachable(f"{site.base}{path} answered HTTP {status}, not 200")


def interleaved(
    ours: Site, theirs: Site, pairs: list[Pair], rounds: int
) -> dict[str, tuple[Timings, Timings]]:
    """Every pair's two pages, `rounds` times each, alternating site by site."""
    timings = {pair.name: (Timings(), Timings()) for pair in pairs}
    for round_ in range(rounds):
        for pair in pairs:
            ours_timings, theirs_timings = timings[pair.name]
            legs = [(ours, pair.ours, ours_timings), (theirs, pair.theirs, theirs_timings)]
            for site, path, sink in legs if round_ % 2 == 0 else reversed(legs):
                status, seconds = get(site, path)
                if status != 200:
                    raise Unreachable(f"{site.base}{path} answered HTTP {status} in round {round_}")
                sink.seconds.append(seconds)
    return timings
