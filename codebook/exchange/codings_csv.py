"""The coded-segment CSV: rows in, CSV text out, as a stream (no ORM here).

RFC 4180 quoting (every line ends in CRLF, quotes doubled), UTF-8. For Excel a
byte-order mark goes first so that accents display, and text cells that a
spreadsheet would run as a formula are neutralised with a leading apostrophe.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

CODING_COLUMNS = (
    "study",
    "interview",
    "participant",
    "speaker",
    "turn_start_time",
    "coder",
    "code",
    "code_path",
    "parent_code",
    "start",
    "end",
    "quote",
    "memo",
    "origin",
    "created",
    "updated",
)
BYTE_ORDER_MARK = "\ufeff"
# OWASP's list: a cell starting with one of these is a formula to Excel,
# LibreOffice and Google Sheets (tab and carriage return hide the others).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def header_for(attribute_names: Sequence[str]) -> list[str]:
    """Return the header row: the fixed columns, then one ``attr:NAME`` per attribute."""
    return [*CODING_COLUMNS, *(f"attr:{name}" for name in attribute_names)]


def neutralise_formula(value):
    """Return ``value`` with a leading apostrophe if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def stream_csv(
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    excel: bool = False,
    rows_per_chunk: int = 1000,
) -> Iterator[str]:
    """Yield the CSV text of ``header`` and ``rows`` in chunks of ``rows_per_chunk`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if excel:
        buffer.write(BYTE_ORDER_MARK)
        writer.writerow([neutralise_formula(cell) for cell in header])
    else:
        writer.writerow(header)
    rows = iter(rows)
    while True:
        # writerows() loops in C: a chunk at a time is much faster than row by row.
        chunk = list(islice(rows, rows_per_chunk))
        if excel:
            chunk = [[neutralise_formula(cell) for cell in row] for row in chunk]
        writer.writerows(chunk)
        text = buffer.getvalue()
        if text:
            yield text
        if len(chunk) < rows_per_chunk:
            return
        buffer.seek(0)
        buffer.truncate()


def stream_codings_csv(
    rows: Iterable[Sequence], attribute_names: Sequence[str], *, excel: bool = False
) -> Iterator[str]:
    """Yield the coded-segment CSV: header, then one row per coding, in column order."""
    return stream_csv(header_for(attribute_names), rows, excel=excel)


def matrix_rows(
    code_paths: Sequence[tuple[int, str]],
    interviews: Sequence[tuple[int, str]],
    counts: dict[tuple[int, int], int],
) -> Iterator[list]:
    """Yield the code × interview table: header, one row per code with a total, a total row."""
    yield ["code", *(title for _, title in interviews), "total"]
    column_totals = [0] * len(interviews)
    for code_id, path in code_paths:
        row = [counts.get((code_id, interview_id), 0) for interview_id, _ in interviews]
        for index, count in enumerate(row):
            column_totals[index] += count
        yield [path, *row, sum(row)]
    yield ["total", *column_totals, sum(column_totals)]


def stream_matrix_csv(
    code_paths: Sequence[tuple[int, str]],
    interviews: Sequence[tuple[int, str]],
    counts: dict[tuple[int, int], int],
    *,
    excel: bool = False,
) -> Iterator[str]:
    """Yield the code × interview count table as CSV."""
    table = matrix_rows(code_paths, interviews, counts)
    return stream_csv(next(table), table, excel=excel)
