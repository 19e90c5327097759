"""The importer's file reader in a second process (objects/importing/read_process.py);
order and errors are tested with the thread's in test_import_plumbing.py."""

import itertools
import multiprocessing
import os
import signal
import threading

import pytest

from objects.importing.read_process import ProducerError, read_ahead_in_process


def test_yields_everything_in_order_from_another_process():
    def items():
        for n in range(50):
            yield n, os.getpid()

    seen = list(read_ahead_in_process(items(), depth=2))

    assert [n for n, _ in seen] == list(range(50))
    assert {pid for _, pid in seen} != {os.getpid()}


def test_an_error_that_cannot_travel_arrives_as_its_traceback():
    class Local(Exception):  # Not importable by name, so not picklable.
        pass

    def items():
        yield 1
        raise Local("the cell on line 7")

    with pytest.raises(ProducerError, match="Local: the cell on line 7"):
        list(read_ahead_in_process(items()))


def test_a_reader_that_dies_is_reported_not_waited_for():
    def items():
        yield 1
        os.kill(os.getpid(), signal.SIGKILL)
        yield 2

    with pytest.raises(ProducerError, match="stopped unexpectedly"):
        list(read_ahead_in_process(items()))


def test_stops_the_reader_when_the_consumer_stops():
    def items():
        n = 0
        while True:  # Would never end by itself.
            yield n
            n += 1

    for item in read_ahead_in_process(items(), depth=1):
        if item == 2:
            break

    assert not multiprocessing.active_children()
    assert not [t for t in threading.enumerate() if t.name == "import-read-ahead"]


def test_stops_the_reader_whatever_signal_handlers_the_importer_has():
    """A server or worker that handles SIGTERM itself must not keep the reader alive."""
    previous = signal.signal(signal.SIGTERM, lambda *args: None)
    try:
        for item in read_ahead_in_process(itertools.count(), depth=1):
            if item == 2:
                break
    finally:
        signal.signal(signal.SIGTERM, previous)

    assert not multiprocessing.active_children()


def test_a_daemonic_process_reads_in_a_thread_instead():
    """Daemonic processes (Celery's prefork workers) may not start children."""
    me = multiprocessing.current_process()
    me.daemon = True
    try:
        pids = {pid for _, pid in read_ahead_in_process((n, os.getpid()) for n in range(5))}
    finally:
        me.daemon = False

    assert pids == {os.getpid()}
