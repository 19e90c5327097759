"""Read and check the file in a second process while this one writes.

The importer's Python is the bound of an import on PostgreSQL: reading and
checking a row and writing it cost about 60 µs between them, and in threads they
share one core (the GIL), however many the machine has. A forked process reads
and checks on another core and hands over whole batches, pickled (about 4 µs a
row each way, far less than the 25 µs of reading and checking it saves). The
producer must not touch the database: the child shares the parent's memory, not
its connections, and never uses them; it leaves through os._exit, so nothing of
the parent's (connections, atexit handlers, buffered files) is closed or flushed
twice.

Where fork is not available (Windows, macOS's default), or this process may not
have children (a daemonic one, such as a Celery prefork worker), `read_ahead` runs
the producer in a thread instead, as before.
"""

import multiprocessing
import os
import pickle
import queue
import signal
import traceback
from collections.abc import Iterable, Iterator
from typing import TypeVar

from .read_ahead import read_ahead

T = TypeVar("T")
_DONE = "done"
_ITEM = "item"
_ERROR = "error"
# How long the consumer waits between checks that the producer is still alive.
_POLL_SECONDS = 1.0


class ProducerError(RuntimeError):
    """The producer failed with an exception that could not be sent back as it was."""


def read_ahead_in_process(items: Iterable[T], *, depth: int = 2) -> Iterator[T]:
    """`items`, produced in a forked process up to `depth` ahead, in order.

    An exception in the producer is raised here, where it stopped (the same
    exception when it can be pickled, else a ProducerError with its traceback); if
    the consumer stops early, the producer is stopped too."""
    if (
        "fork" not in multiprocessing.get_all_start_methods()
        # A daemonic process (a Celery prefork worker's) may not have children.
        or multiprocessing.current_process().daemon
    ):
        yield from read_ahead(items, depth=depth)
        return
    context = multiprocessing.get_context("fork")
    ready = context.Queue(maxsize=depth)
    process = context.Process(
        target=_produce, args=(items, ready), name="import-read-ahead", daemon=True
    )
    process.start()
    try:
        while True:
            try:
                kind, payload = ready.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if process.is_alive():
                    continue
                # It may have sent its last items and left since the wait ended:
                # everything it sent is in the pipe before it exits.
                try:
                    kind, payload = ready.get(timeout=_POLL_SECONDS)
                except queue.Empty:
                    raise ProducerError(
                        f"The file reader stopped unexpectedly (exit code {process.exitcode})."
                    ) from None
            if kind == _ITEM:
                yield payload
            elif kind == _ERROR:
                raise payload
            else:
                return
    finally:
        if process.is_alive():
            process.terminate()
            # Stopped before it set its own handlers, it may still ignore SIGTERM.
            process.join(timeout=_POLL_SECONDS)
            if process.is_alive():
                process.kill()
        process.join()
        ready.close()
        ready.join_thread()


def _produce(items: Iterable, ready) -> None:
    # The parent's handlers (a server's, a worker's) are not this process's: the
    # consumer stops it with SIGTERM, and deals with Ctrl-C itself.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    code = 0
    try:
        for item in items:
            ready.put((_ITEM, item))
        ready.put((_DONE, None))
    except BaseException as error:  # raised in the consumer's process
        code = 1
        ready.put((_ERROR, _sendable(error)))
    finally:
        # Wait for the queue's feeder thread to hand everything over, then leave
        # without running the parent's exit handlers.
        ready.close()
        ready.join_thread()
        os._exit(code)


def _sendable(error: BaseException) -> BaseException:
    """The error itself if it survives pickling, else its traceback as a ProducerError."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes, just made)
        return error
    except Exception:
        return ProducerError("".join(traceback.format_exception(error)))
