"""The coded-segment CSV writer on its own: rows in, RFC 4180 text out (no database)."""

import csv
import io

from codebook.exchange.codings_csv import (
    CODING_COLUMNS,
    header_for,
    neutralise_formula,
    stream_codings_csv,
    stream_matrix_csv,
)


def _row(**changes):
    row = dict.fromkeys(CODING_COLUMNS, "")
    row.update(start=3, end=8)
    row.update(changes)
    return [row[column] for column in CODING_COLUMNS]


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
    text = "".join(stream_codings_csv([_row(quote=quote)], []))
    assert '"She said ""no"", then\nleft."' in text
    assert text.count("\r\n") == 2  # records end in CRLF; the newline inside stays bare
    assert _parse(text)[1][CODING_COLUMNS.index("quote")] == quote


def test_it_keeps_accents_and_emoji_without_a_byte_order_mark_by_default():
    text = "".join(stream_codings_csv([_row(quote="rôle 🙂")], []))
    assert not text.startswith("\ufeff")
    assert "rôle 🙂" in text


def test_it_adds_a_byte_order_mark_for_excel():
    text = "".join(stream_codings_csv([_row()], [], excel=True))
    assert text.startswith("\ufeff")
    assert _parse(text)[0][0] == "study"


def test_it_neutralises_formulas_for_excel_only():
    row = _row(memo="=HYPERLINK(1)", quote="+1", code="-x", coder="@me")
    plain = _parse("".join(stream_codings_csv([row], [])))[1]
    excel = _parse("".join(stream_codings_csv([row], [], excel=True)))[1]
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
    rows = (_row(quote=f"q{number}") for number in range(2500))
    chunks = list(stream_codings_csv(rows, []))
    assert len(chunks) == 3
    assert len(_parse("".join(chunks))) == 2501


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
