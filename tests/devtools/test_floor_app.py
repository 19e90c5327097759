"""The floor app (devtools/benchmarks/floor_app.py): whatever is asked, the same
page of our size, at once, with nothing else done (or, with FLOOR_REDIS_URL, one
Redis round trip)."""

import importlib
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings

import devtools.benchmarks.floor_app as floor_app
from devtools.benchmarks.floor_app import PAGE


def answer(app, path="/") -> tuple[str, dict, bytes]:
    environ = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    started = []
    body = b"".join(app(environ, lambda status, headers: started.append((status, headers))))
    status, headers = started[0]
    return status, dict(headers), body


def test_every_request_gets_the_fixed_page():
    for path in ("/", "/breads/anpan/", "/anything?q=1"):
        status, headers, body = answer(floor_app.application, path)
        assert status == "200 OK"
        assert headers["Content-Length"] == str(len(body)) == str(len(PAGE))
        assert body == PAGE


@pytest.fixture
def floor_app_with_redis(monkeypatch):
    monkeypatch.setenv("FLOOR_REDIS_URL", settings.REDIS_URL)
    yield importlib.reload(floor_app)
    monkeypatch.delenv("FLOOR_REDIS_URL")
    importlib.reload(floor_app)


def test_with_a_redis_url_each_request_makes_one_round_trip(redis_commands, floor_app_with_redis):
    answer(floor_app_with_redis.application)  # the connection's handshake, once
    for _ in range(3):
        redis_commands.clear()
        assert answer(floor_app_with_redis.application)[2] == PAGE
        assert len(redis_commands) == 1
