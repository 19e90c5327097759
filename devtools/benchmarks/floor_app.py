"""The fastest answer a site can give over this harness: a WSGI app with nothing to
do, answering every request with a fixed page of the size of ours (gzipped, about
3.6 KB). Served by gunicorn as the sites are, and timed beside bakerydemo with
bench_versus, it is the ceiling of any page cache hit's ratio (docs/performance.md):

    gunicorn devtools.benchmarks.floor_app:application -w 2 -b 127.0.0.1:8303
    python manage.py bench_versus --ours http://127.0.0.1:8303 \\
        --theirs http://127.0.0.1:8301 --pair floor / /breads/anpan/ --no-queries

With FLOOR_REDIS_URL set, each request first makes one Redis round trip (a GET, on a
kept connection), the least a hit checked against its generations does: the ceiling
of a page cache kept in Redis.
"""

import os

PAGE = b"x" * 3600
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))]


def _one_round_trip():
    url = os.environ.get("FLOOR_REDIS_URL")
    if not url:
        return None
    import redis

    client = redis.Redis.from_url(url)
    return lambda: client.get("floor-app:round-trip")


round_trip = _one_round_trip()


def application(environ, start_response):
    if round_trip is not None:
        round_trip()
    start_response("200 OK", HEADERS)
    return [PAGE]
