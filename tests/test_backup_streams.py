"""The whole-study backup is written piece by piece, and the pieces make up the same document."""

import io
import json

import pytest
from django.urls import reverse

from codebook.exchange import backup
from codebook.exchange.backup import dump_study, iter_backup, read_backup, write_backup
from codebook.models import Coding
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
    data = read_backup(io.StringIO("".join(pieces)))
    table = next(t for t in data["tables"] if t["model"] == "codebook.Coding")
    assert [row for chunk in chunks for row in chunk] == table["rows"]
