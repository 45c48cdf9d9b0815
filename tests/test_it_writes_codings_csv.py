"""The coded-segment CSV writer on its own: rows in, RFC 4180 text out (no database).

Whole rows are cut into what ``stream_codings_csv`` takes (shared context cells,
the text of a coding's own cells, the interview's attributes), so every test
also checks that the pieces join into the line the csv module writes.
"""

import csv
import io

import pytest

from codebook.exchange import codings_csv
from codebook.exchange.codings_csv import (
    CODING_COLUMNS,
    CONTEXT_COLUMNS,
    header_for,
    neutralise_formula,
    own_cells_text,
    stream_codings_csv,
    stream_matrix_csv,
)

CONTEXT = len(CONTEXT_COLUMNS)
OWN = len(CODING_COLUMNS) - CONTEXT


def _row(**changes):
    row = dict.fromkeys(CODING_COLUMNS, "")
    row.update(start=3, end=8)
    row.update(changes)
    return [row[column] for column in CODING_COLUMNS]


def _chunks(rows, excel=False):
    """Cut whole rows into chunks as stream_codings_csv takes them, one per run of attributes."""
    chunks = []
    for row in rows:
        attributes = tuple(row[CONTEXT + OWN :])
        if not chunks or chunks[-1][2] != attributes:
            chunks.append(([], [], attributes))
        chunks[-1][0].append(tuple(row[:CONTEXT]))
        chunks[-1][1].append(own_cells_text(row[CONTEXT : CONTEXT + OWN], excel=excel))
    return chunks


def _csv(rows, names=(), excel=False):
    return "".join(stream_codings_csv(_chunks(rows, excel), names, excel=excel))


def _parse(text):
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_it_puts_the_columns_in_the_documented_order_then_attributes():
    assert header_for(["sector", "years"]) == [
        "study", "interview", "participant", "speaker", "turn_start_time", "coder", "code",
        "code_path", "parent_code", "start", "end", "quote", "memo", "origin", "created",
        "updated", "attr:sector", "attr:years",
    ]  # fmt: skip


def test_it_quotes_commas_quotes_and_newlines_as_rfc_4180():
    quote = 'She said "no", then\nleft.'
    text = _csv([_row(quote=quote)])
    assert '"She said ""no"", then\nleft."' in text
    assert text.count("\r\n") == 2  # records end in CRLF; the newline inside stays bare
    assert _parse(text)[1][CODING_COLUMNS.index("quote")] == quote


def test_it_keeps_accents_and_emoji_without_a_byte_order_mark_by_default():
    text = _csv([_row(quote="rôle 🙂")])
    assert not text.startswith("\ufeff")
    assert "rôle 🙂" in text


def test_it_adds_a_byte_order_mark_for_excel():
    text = _csv([_row()], excel=True)
    assert text.startswith("\ufeff")
    assert _parse(text)[0][0] == "study"


def test_it_neutralises_formulas_for_excel_only():
    row = _row(memo="=HYPERLINK(1)", quote="+1", code="-x", coder="@me")
    plain = _parse(_csv([row]))[1]
    excel = _parse(_csv([row], excel=True))[1]
    memo = CODING_COLUMNS.index("memo")
    assert plain[memo] == "=HYPERLINK(1)"
    assert excel[memo] == "'=HYPERLINK(1)"
    assert excel[CODING_COLUMNS.index("quote")] == "'+1"
    assert excel[CODING_COLUMNS.index("code")] == "'-x"
    assert excel[CODING_COLUMNS.index("coder")] == "'@me"
    assert excel[CODING_COLUMNS.index("start")] == "3"


def test_it_leaves_ordinary_text_and_numbers_alone():
    assert neutralise_formula("Budget") == "Budget"
    assert neutralise_formula(-3) == -3


def test_it_streams_in_chunks_instead_of_one_string():
    rows = [_row(quote=f"q{number}") for number in range(2500)]
    chunks = list(stream_codings_csv((_chunks(rows[k : k + 1000])[0] for k in (0, 1000, 2000)), []))
    assert len(chunks) == 3
    assert len(_parse("".join(chunks))) == 2501


def test_it_writes_only_the_header_when_there_are_no_codings():
    assert list(stream_codings_csv([], ["sector"])) == [",".join(header_for(["sector"])) + "\r\n"]


# Cells that need quoting, that a spreadsheet would run, that are empty, numbers, accents.
TRICKY = ['a,b', 'say "hi"', "two\nlines", "cr\ronly", "crlf\r\n", "", " ", "=SUM(A1)", "-1",
          "@x", "\ttab", "+", "rôle 🙂", "plain"]  # fmt: skip


def _tricky_rows(names):
    rows = []
    for number, cell in enumerate(TRICKY * 3):
        context = ["c"] * CONTEXT
        context[number % CONTEXT] = cell
        own = [number, number + 5, cell, TRICKY[-1 - number % len(TRICKY)], "manual", "t", "u"]
        attributes = [TRICKY[(number // 4 + k) % len(TRICKY)] for k in range(len(names))]
        rows.append(context + own + attributes)
    return rows + [rows[0]] * 3  # a context seen again


@pytest.mark.parametrize("excel", [False, True])
@pytest.mark.parametrize("names", [[], ["=x"], ["a", "b"]])
def test_each_line_is_the_one_the_csv_module_writes_for_the_whole_row(excel, names):
    rows = _tricky_rows(names)
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    if excel:
        expected.write("\ufeff")
        writer.writerow([neutralise_formula(cell) for cell in header_for(names)])
        writer.writerows([[neutralise_formula(cell) for cell in row] for row in rows])
    else:
        writer.writerow(header_for(names))
        writer.writerows(rows)
    assert _csv(rows, names, excel=excel) == expected.getvalue()


def test_it_forgets_written_contexts_to_keep_memory_flat(monkeypatch):
    monkeypatch.setattr(codings_csv, "MAX_RENDERED", 2)
    rows = [_row(interview=f"Interview {number % 5}", start=number) for number in range(40)]
    chunks = (_chunks(rows[k : k + 3])[0] for k in range(0, 40, 3))
    text = "".join(stream_codings_csv(chunks, []))
    assert text == _csv(rows)
    assert [row[1] for row in _parse(text)[1:]] == [f"Interview {n % 5}" for n in range(40)]


def test_it_counts_codes_by_interview_with_totals():
    text = "".join(
        stream_matrix_csv(
            [(1, "Lenses/Sensemaking"), (2, "Inhibitor")],
            [(10, "A"), (11, "B")],
            {(1, 10): 2, (2, 11): 3, (2, 10): 1},
        )
    )
    assert _parse(text) == [
        ["code", "A", "B", "total"],
        ["Lenses/Sensemaking", "2", "0", "2"],
        ["Inhibitor", "1", "3", "4"],
        ["total", "3", "3", "6"],
    ]
