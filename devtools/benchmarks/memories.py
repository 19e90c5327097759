"""Load check for the memory form (`manage.py bench_memories`): real gunicorn on
loopback, many browsers at once, every answer classified.

Each simulated visitor has its own cookie jar (CSRF cookie), fetches the form,
waits the form's minimum time like a person would, then sends it. Redirects
are not followed: 302 to the thank-you page means accepted.
"""

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

FIELD = re.compile(r'name="(csrfmiddlewaretoken|started|idempotency_key)" value="([^"]*)"')
ERROR_FIELD = re.compile(r'id="id_(\w+)_error"')


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Visitor:
    opener: urllib.request.OpenerDirector
    fields: dict[str, str]


@dataclass
class Outcome:
    status: int
    seconds: float
    reason: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def accepted(self) -> int:
        return sum(1 for o in self.outcomes if o.status == 302)

    def refused(self) -> Counter:
        return Counter(o.reason for o in self.outcomes if o.status in (400, 403, 429))

    def server_errors(self) -> int:
        return sum(1 for o in self.outcomes if o.status >= 500)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(*, port: int, env: dict[str, str], workers: int, threads: int, log):
    command = [
        sys.executable, "-m", "gunicorn", "bac_collection.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "gthread", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError("gunicorn exited while starting")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/memories/", timeout=30):
                    return server
            except OSError:  # refused while booting, or slow on a busy machine
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not answer within 120 s")
    except BaseException:
        server.terminate()
        server.wait(timeout=30)
        raise


def new_visitor(base: str, path: str) -> Visitor:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirects)
    with opener.open(base + path, timeout=30) as response:
        html = response.read().decode()
    return Visitor(opener, dict(FIELD.findall(html)))


def send(base: str, path: str, visitor: Visitor, data: dict[str, str]) -> Outcome:
    body = urllib.parse.urlencode({**visitor.fields, **data}).encode()
    request = urllib.request.Request(base + path, data=body, method="POST")  # noqa: S310  (a loopback http URL)
    started = time.perf_counter()
    try:
        with visitor.opener.open(request, timeout=60) as response:
            status, html = response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        status, html = error.code, error.read().decode(errors="replace")
    seconds = time.perf_counter() - started
    reason = ""
    if status == 429:
        reason = "rate limited (429)"
    elif status == 403:
        reason = "CSRF (403)"
    elif status == 400:
        fields = sorted(set(ERROR_FIELD.findall(html)))
        reason = "form: " + ", ".join(fields) if fields else "form"
    return Outcome(status, seconds, reason)


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  (a loopback http URL)
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run_concurrently(jobs, *, concurrency: int) -> list:
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(lambda job: job(), jobs))
