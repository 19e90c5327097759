"""Read and check the next batch while the database writes this one.

An import alternates between Python work (parsing, checking rows) and
waiting for PostgreSQL (COPY, index updates, commit). Producing batches in a
thread overlaps the two, as waiting on the database releases the GIL. The
producer must not touch the database: Django's connections are per thread.
"""

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def read_ahead(items: Iterable[T], *, depth: int = 2) -> Iterator[T]:
    """`items`, produced in a background thread up to `depth` ahead.

    An exception in the producer is raised here, where it stopped; if the
    consumer stops early (an error, a strict import's abort), so does the producer.
    """
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(entry) -> bool:
        while not stop.is_set():
            try:
                ready.put(entry, timeout=0.05)
                return True
            except queue.Full:
                pass
        return False

    def produce():
        try:
            for item in items:
                if not hand_over((item, None)):
                    return
            hand_over((_DONE, None))
        except BaseException as error:  # raised in the consumer's thread
            hand_over((_DONE, error))

    thread = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = ready.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join()
