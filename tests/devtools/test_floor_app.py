"""The floor app (devtools/benchmarks/floor_app.py): whatever is asked, the same
page of our size, at once, with nothing else done."""

from wsgiref.util import setup_testing_defaults

from devtools.benchmarks.floor_app import PAGE, application


def test_every_request_gets_the_fixed_page():
    for path in ("/", "/breads/anpan/", "/anything?q=1"):
        environ = {"PATH_INFO": path}
        setup_testing_defaults(environ)
        started = []

        def start_response(status, headers, started=started):
            started.append((status, headers))

        body = b"".join(application(environ, start_response))

        status, headers = started[0]
        assert status == "200 OK"
        assert dict(headers)["Content-Length"] == str(len(body)) == str(len(PAGE))
        assert body == PAGE
