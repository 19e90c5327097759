"""Serve each request from the start of a roomy Python frame stack.

CPython 3.11 and 3.12 keep Python frames in chunks of memory, the first 16 KiB.
A call that does not fit in the current chunk maps a new one, and returning from
it unmaps it at once. Rendering a page's cards goes down and back up the template
engine's recursion dozens of times; when that depth happens to straddle the end of
a chunk, every crossing maps and unmaps a chunk and faults its page in again:
thousands of mmap/munmap calls a page (CPython issue gh-142183, fixed in 3.13 and
3.14 by keeping one spare chunk). Where the boundary falls depends on how deep the
server calls the application, so one worker could be twice as slow as another for
no reason in our code: under gunicorn, a cold browse page took 42 ms with about
2,500 page faults, and 21 ms with 14 when served from here.

`RoomyStackApplication` calls the application through a function whose declared
evaluation stack is 64 Ki words. CPython gives such a frame a 1 MiB chunk of its
own, about half of which is left for the request's frames: far more than the
recursion limit needs, so no request crosses a chunk's end. Pages of the chunk the
request never reaches are never touched; the chunk is mapped once per request.
"""

STACK_WORDS = 64 * 1024


def _call_with_room(app, environ, start_response):
    return app(environ, start_response)


_call_with_room.__code__ = _call_with_room.__code__.replace(co_stacksize=STACK_WORDS)


class RoomyStackApplication:
    """A WSGI application wrapped so each request runs in a roomy frame stack."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        return _call_with_room(self.application, environ, start_response)
