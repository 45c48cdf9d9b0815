"""Read the next rows from the database in a thread while the caller writes the last ones.

PostgreSQL works in its own process: while the exporting thread turns one chunk
of rows into CSV, a reader thread can already wait for the server to produce
the next. (SQLite works inside this process and takes Python's lock for every
row it steps to, so a thread gains nothing there.)

The reader uses its own database connection (Django gives each thread one) and
closes it when done. To read what the caller's connection sees, it joins the
caller's snapshot (``snapshot.shared_snapshot``); it cannot see what a caller's
transaction wrote and has not committed, so such callers read in their own thread.
"""

import queue
import threading
from collections.abc import Callable, Generator, Iterator

from django.db import connections

DEPTH = 4  # chunks read ahead: the memory held is DEPTH chunks at most
_DONE = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


def read_ahead[Chunk](
    chunks: Callable[[], Generator[Chunk]], depth: int = DEPTH
) -> Iterator[Chunk]:
    """Yield what ``chunks()`` yields, running it in a reader thread at most ``depth`` ahead.

    An error in the reader is raised here. If the caller stops early (the
    download was cancelled), the reader stops after its current chunk.
    """
    handed: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand(item) -> bool:
        """Put ``item`` in the queue unless the caller stopped; return whether to go on."""
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        produced = chunks()
        try:
            for chunk in produced:
                if not hand(chunk):
                    return
            hand(_DONE)
        except BaseException as error:  # handed to the caller, who raises it
            hand(_Failed(error))
        finally:
            produced.close()  # its cursor, if the caller stopped early
            connections.close_all()  # this thread's connections only

    reader = threading.Thread(target=read, name="export-reader", daemon=True)
    reader.start()
    try:
        while (item := handed.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        reader.join()
