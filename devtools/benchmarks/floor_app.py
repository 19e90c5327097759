"""The fastest answer a site can give over this harness: a WSGI app with nothing to
do, answering every request with a fixed page of the size of ours (gzipped, about
3.6 KB). Served by gunicorn as the sites are, and timed beside bakerydemo with
bench_versus, it is the ceiling of any page cache hit's ratio (docs/performance.md):

    gunicorn devtools.benchmarks.floor_app:application -w 2 -b 127.0.0.1:8303
    python manage.py bench_versus --ours http://127.0.0.1:8303 \\
        --theirs http://127.0.0.1:8301 --pair floor / /breads/anpan/ --no-queries
"""

PAGE = b"x" * 3600
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [PAGE]
