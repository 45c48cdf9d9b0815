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

import io
import queue
import threading
from collections.abc import Callable, Generator, Iterator
from typing import IO

from django.db import connections

DEPTH = 4  # chunks read ahead: the memory held is DEPTH chunks at most
PIECE = 256 * 1024  # bytes of a written download handed on at a time
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

    def produce(hand: Callable[[Chunk], bool]) -> None:
        produced = chunks()
        try:
            for chunk in produced:
                if not hand(chunk):
                    return
        finally:
            produced.close()  # its cursor, if the caller stopped early

    return _in_a_thread(produce, depth, "export-reader")


class _Stopped(Exception):
    """The caller stopped reading: raised inside the writer to end it."""


class _Pieces(io.RawIOBase):
    """A binary stream that hands what is written to it on, ``PIECE`` bytes at a time.

    Not seekable: ``zipfile`` then writes each member's sizes after its data.
    """

    def __init__(self, hand: Callable[[bytes], bool]) -> None:
        self._hand = hand
        self._buffer = bytearray()
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        self._written += len(data)
        if len(self._buffer) >= PIECE:
            self.flush()
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        if self._buffer:
            if not self._hand(bytes(self._buffer)):
                raise _Stopped
            self._buffer.clear()


def write_ahead(write: Callable[[IO[bytes]], None], depth: int = DEPTH) -> Iterator[bytes]:
    """Yield, piece by piece, what ``write(stream)`` writes, running it in a writer thread.

    For a download made by code that writes to a file: the first bytes go out while the
    rest is written, and at most ``depth`` pieces wait in memory. Errors as ``read_ahead``.
    """

    def produce(hand: Callable[[bytes], bool]) -> None:
        stream = _Pieces(hand)
        try:
            write(stream)
            stream.flush()
        except _Stopped:
            pass

    return _in_a_thread(produce, depth, "export-writer")


def _in_a_thread[Item](
    produce: Callable[[Callable[[Item], bool]], None], depth: int, name: str
) -> Iterator[Item]:
    """Run ``produce(hand)`` in a thread and yield what it hands, at most ``depth`` ahead.

    ``hand(item)`` returns False once the caller has stopped, and ``produce`` should end.
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

    def run() -> None:
        try:
            produce(hand)
            hand(_DONE)
        except BaseException as error:  # handed to the caller, who raises it
            hand(_Failed(error))
        finally:
            connections.close_all()  # this thread's connections only

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    try:
        while (item := handed.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        worker.join()
