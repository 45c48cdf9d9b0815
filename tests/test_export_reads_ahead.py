"""The export's reader thread: order, errors, an early stop, a bounded lead; and the export
read that way equals the export read in the caller's thread."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from codebook.exchange import coding_rows, read_ahead
from tests.exchange_data import fill_study


def _record_closes(monkeypatch) -> list[str]:
    """Return the names of the threads that close their database connections from now on."""
    closed_in: list[str] = []
    monkeypatch.setattr(
        read_ahead.connections,
        "close_all",
        lambda: closed_in.append(threading.current_thread().name),
    )
    return closed_in


def _reader_threads():
    return [thread for thread in threading.enumerate() if thread.name == "export-reader"]


def test_it_yields_every_chunk_in_order():
    assert list(read_ahead.read_ahead(lambda: (n for n in range(100)), depth=3)) == list(range(100))


def test_an_error_in_the_reader_is_raised_in_the_caller():
    def chunks():
        yield 1
        raise LookupError("the database went away")

    read = read_ahead.read_ahead(chunks)
    assert next(read) == 1
    with pytest.raises(LookupError, match="went away"):
        next(read)
    assert not _reader_threads()


def test_stopping_early_stops_the_reader_and_closes_its_connections(monkeypatch):
    closed_in = _record_closes(monkeypatch)
    finished = threading.Event()

    def endless():
        try:
            number = 0
            while True:
                yield number
                number += 1
        finally:
            finished.set()

    read = read_ahead.read_ahead(endless, depth=2)
    assert [next(read) for _ in range(3)] == [0, 1, 2]
    read.close()
    assert finished.is_set()
    assert closed_in == ["export-reader"]
    assert not _reader_threads()


def test_the_reader_stays_at_most_depth_chunks_ahead():
    produced = []

    def chunks():
        for number in range(1000):
            produced.append(number)
            yield number

    read = read_ahead.read_ahead(chunks, depth=4)
    next(read)
    # One handed over, four waiting in the queue, one more read and waiting to be put.
    for _ in range(500):
        if len(produced) >= 6:
            break
        time.sleep(0.01)
    time.sleep(0.05)
    assert len(produced) == 6
    read.close()


@pytest.fixture
def study_with_codings(study, interview, codes, make_coding, alice, sam, bob, carol):
    fill_study(study, interview, codes, make_coding, alice, sam, bob, carol)
    return study


def _export(tmp_path, name):
    path = tmp_path / name
    call_command("export_codings", "pilot", "--output", str(path))
    return path.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_the_export_reads_ahead_on_postgresql_outside_a_transaction(
    tmp_path, monkeypatch, study_with_codings
):
    threads = []
    real = coding_rows.read_ahead

    def spy(chunks):
        threads.append(True)
        return real(chunks)

    monkeypatch.setattr(coding_rows, "read_ahead", spy)
    ahead = _export(tmp_path, "ahead.csv")
    assert bool(threads) == (connection.vendor == "postgresql")
    threads.clear()
    with transaction.atomic():  # the reader could not see uncommitted rows
        here = _export(tmp_path, "here.csv")
    assert not threads
    assert ahead == here
    assert ahead.count(b"\r\n") > 5


def test_what_is_written_comes_out_in_pieces_in_order(monkeypatch):
    monkeypatch.setattr(read_ahead, "PIECE", 1000)

    def write(stream):
        for number in range(500):
            stream.write(f"{number:04d},".encode())

    pieces = list(read_ahead.write_ahead(write, depth=2))
    assert len(pieces) == 3  # 2,500 bytes in pieces of at least 1,000
    assert b"".join(pieces) == b"".join(f"{n:04d},".encode() for n in range(500))


def test_a_zip_written_ahead_is_whole(monkeypatch):
    import io
    import zipfile

    monkeypatch.setattr(read_ahead, "PIECE", 64)

    def write(stream):
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open("a.txt", "w", force_zip64=True) as member:
                member.write(b"words " * 1000)
            archive.writestr("b.txt", "more")

    data = b"".join(read_ahead.write_ahead(write))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("a.txt") == b"words " * 1000
        assert archive.read("b.txt") == b"more"


def test_stopping_early_stops_the_writer_and_closes_its_connections(monkeypatch):
    monkeypatch.setattr(read_ahead, "PIECE", 10)
    closed_in = _record_closes(monkeypatch)
    stopped = threading.Event()

    def write(stream):
        try:
            while True:
                stream.write(b"0123456789")
        finally:
            stopped.set()

    written = read_ahead.write_ahead(write, depth=2)
    assert next(written) == b"0123456789"
    written.close()
    assert stopped.is_set()
    assert closed_in == ["export-writer"]
    assert not [t for t in threading.enumerate() if t.name == "export-writer"]


def test_an_error_in_the_writer_is_raised_in_the_caller():
    def write(stream):
        stream.write(b"x" * (read_ahead.PIECE + 1))
        raise LookupError("the disk went away")

    written = read_ahead.write_ahead(write)
    assert len(next(written)) == read_ahead.PIECE + 1
    with pytest.raises(LookupError, match="went away"):
        next(written)
