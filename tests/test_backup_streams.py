"""The whole-study backup is written piece by piece, and the pieces make up the same document."""

import io
import json

import pytest
from django.urls import reverse

from codebook.exchange import backup
from codebook.exchange.backup import (
    BackupError,
    dump_study,
    iter_backup,
    read_backup,
    restore_study,
    write_backup,
)
from codebook.models import Coding, Memo
from interviews.models import Study
from tests.exchange_data import fill_study


@pytest.fixture
def codings(study, interview, codes, make_coding, alice, sam, bob, carol):
    return fill_study(study, interview, codes, make_coding, alice, sam, bob, carol)


def _many_codings(interview, code, coder, count):
    Coding.objects.bulk_create(
        Coding(
            interview=interview,
            code=code,
            coder=coder,
            start=start,
            end=start + 5,
            quote=interview.text[start : start + 5],
        )
        for start in range(count)
    )


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 2_000])
def test_the_streamed_text_is_exactly_the_study_dump(monkeypatch, study, codings, chunk_rows):
    # Small chunks put chunk ends everywhere, a table ending on one included.
    monkeypatch.setattr(backup, "CHUNK_ROWS", chunk_rows)
    assert json.loads("".join(iter_backup(study))) == dump_study(study)
    output = io.StringIO()
    write_backup(study, output)
    assert json.loads(output.getvalue()) == dump_study(study)


def test_the_dump_names_the_users_its_rows_refer_to(study, codings):
    data = dump_study(study)
    usernames = {row[0] for row in data["users"]["rows"]}
    assert {"alice", "sam", "bob", "carol", "vic"} <= usernames
    assert data["tables"][0]["model"] == "interviews.Study"


def test_the_download_reads_and_sends_codings_in_chunks(
    monkeypatch, client, alice, study, interview, codes, bob
):
    monkeypatch.setattr(backup, "CHUNK_ROWS", 10)
    _many_codings(interview, codes["sensemaking"], bob, 45)
    client.force_login(alice)
    response = client.get(reverse("export-backup", args=["pilot"]))
    pieces = [piece.decode() for piece in response.streaming_content]
    header = next(i for i, piece in enumerate(pieces) if '"model": "codebook.Coding"' in piece)
    assert pieces[header + 1] == ', "rows": ['
    end = pieces.index("]}", header)
    chunks = [json.loads("[" + piece.removeprefix(",") + "]") for piece in pieces[header + 2 : end]]
    # 45 codings at 10 rows a chunk: five pieces, the last one short.
    assert [len(chunk) for chunk in chunks] == [10, 10, 10, 10, 5]
    read = read_backup(io.StringIO("".join(pieces)))
    table = next(t for t in read.tables() if t.model == "codebook.Coding")
    assert [row for chunk in chunks for row in chunk] == list(table.rows)


def _restored_dump(source, slug):
    restored = restore_study(read_backup(source), slug=slug)
    dump = dump_study(restored)
    dump.pop("study")
    study_table = dump["tables"][0]
    study_table["rows"][0][study_table["fields"].index("slug")] = None
    return dump


@pytest.mark.parametrize("binary", [False, True])
def test_a_file_as_written_is_read_row_by_row_and_restores_the_same_as_one_read_whole(
    monkeypatch, study, interview, codings, alice, binary
):
    # Line separators inside text must not split a row: each row is one line of the file.
    Memo.objects.create(study=study, author=alice, title="Seps", text="a\u2028b\u2029c\r\nd")
    output = io.StringIO()
    write_backup(study, output)
    text = output.getvalue()
    loads = []
    real_load = json.load
    monkeypatch.setattr(json, "load", lambda source: loads.append(1) or real_load(source))

    streamed = _restored_dump(io.BytesIO(text.encode()) if binary else io.StringIO(text), "a")
    assert not loads  # never read whole
    # The same document laid out by another tool is read whole, and restores the same.
    reformatted = json.dumps(json.loads(text), indent=2, ensure_ascii=True)
    whole = _restored_dump(io.StringIO(reformatted), "b")
    assert loads == [1]
    assert streamed == whole
    assert any("a\u2028b\u2029c\r\nd" in row for t in streamed["tables"] for row in t["rows"])


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (lambda text: text[: len(text) // 2], "not JSON"),
        (lambda text: text.replace('"study": "pilot"', '"study": 7'), "does not name its study"),
        (lambda text: text.replace('"version": 2', '"version": 3'), "version 3"),
        (lambda text: text.replace('"codebook.Memo"', '"codebook.Unknown"'), "does not know"),
    ],
)
def test_a_damaged_file_is_refused_before_anything_is_restored(study, codings, cut, message):
    output = io.StringIO()
    write_backup(study, output)
    with pytest.raises(BackupError, match=message):
        restore_study(read_backup(io.StringIO(cut(output.getvalue()))), slug="damaged")
    assert not Study.objects.filter(slug="damaged").exists()
