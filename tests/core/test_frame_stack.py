"""Requests run from the start of a roomy frame stack (bac_collection/frame_stack.py)."""

import resource
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler

from bac_collection import wsgi
from bac_collection.frame_stack import RoomyStackApplication


def _descend(depth):
    if depth:
        _descend(depth - 1)


def _down_and_back_up():
    # Down to each depth and back up, twenty times, as a page's template recursion
    # does card after card: somewhere in this range the frames cross a chunk's end.
    for depth in range(1, 600):
        for _ in range(20):
            _descend(depth)


def _page_faults(run) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    run()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _roomy_request():
    def app(environ, start_response):
        _down_and_back_up()
        return [b"ok"]

    return RoomyStackApplication(app)({}, None)


def test_a_request_going_deep_and_back_does_not_map_frame_memory_again_and_again():
    assert _roomy_request() == [b"ok"]
    assert _page_faults(_roomy_request) < 100


@pytest.mark.skipif(
    sys.version_info >= (3, 13),
    reason="the control needs CPython 3.11 or 3.12: 3.13 and later keep a spare chunk",
)
def test_without_the_room_the_same_calls_fault_pages_in_again_and_again():
    """The control: on this interpreter the boundary thrashes outside the wrapper."""
    _down_and_back_up()
    assert _page_faults(_down_and_back_up) > 1_000


def test_the_site_is_served_through_it():
    """gunicorn serves bac_collection.wsgi.application (scripts/production_journey.sh
    runs it for real)."""
    assert isinstance(wsgi.application, RoomyStackApplication)
    assert isinstance(wsgi.application.application, WSGIHandler)
