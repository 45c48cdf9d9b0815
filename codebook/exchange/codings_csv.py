"""The coded-segment CSV: rows in, CSV text out, as a stream (no ORM here).

RFC 4180 quoting (every line ends in CRLF, quotes doubled), UTF-8. For Excel a
byte-order mark goes first so that accents display, and text cells that a
spreadsheet would run as a formula are neutralised with a leading apostrophe.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice, repeat

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
# The leading columns that every coding of one turn, coder and code has in common.
CONTEXT_COLUMNS = CODING_COLUMNS[: CODING_COLUMNS.index("start")]
BYTE_ORDER_MARK = "\ufeff"
MAX_RENDERED = 10_000
# OWASP's list: a cell starting with one of these is a formula to Excel,
# LibreOffice and Google Sheets (tab and carriage return hide the others).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What makes the csv module quote a text cell in this dialect (comma, "\r\n" line ends).
NEEDS_QUOTES = (",", '"', "\r", "\n")


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


class _Lines(list):
    """A list that ``csv.writer`` writes to: one item per row, line end included."""

    write = list.append


class _Rendered(dict):
    """The CSV text of each tuple of cells seen, between ``before`` and ``after``.

    Written when first missing, then reused.
    """

    def __init__(self, excel: bool, before: str = "", after: str = ""):
        super().__init__()
        self.excel, self.before, self.after = excel, before, after
        self.lines = _Lines()
        self.writer = csv.writer(self.lines, lineterminator="\r\n")

    def __missing__(self, cells: tuple) -> str:
        written = [neutralise_formula(cell) for cell in cells] if self.excel else list(cells)
        # After an empty first cell, as within a longer row: alone, an empty cell is quoted.
        self.writer.writerow(["", *written])
        line = self.lines.pop().removesuffix("\r\n")[1:]
        text = self[cells] = self.before + line + self.after
        return text


def own_cells_text(cells: Sequence, *, excel: bool = False) -> str:
    """Return the CSV text of a coding's own cells (``start`` to ``updated``), no line end.

    ``csv_sql`` has the databases write the same text; this is the rule it follows.
    """
    return _Rendered(excel)[tuple(cells)]


def stream_codings_csv(
    chunks: Iterable[tuple[Sequence[tuple], Sequence[str], tuple]],
    attribute_names: Sequence[str],
    *,
    excel: bool = False,
) -> Iterator[str]:
    """Yield the coded-segment CSV: the header, then the text of each chunk of rows.

    A chunk holds rows of one interview, in three parts: for each row, its
    ``CONTEXT_COLUMNS`` cells (a tuple shared by the rows of one turn, coder and
    code) and the text of its own cells (``own_cells_text``, or the same from the
    database); then the interview's attribute values, one per name. Contexts and
    attributes are written once and their text reused: the csv module quotes each
    cell on its own, so the joined line is the one it writes for the whole row.
    """
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    header = header_for(attribute_names)
    writer.writerow([neutralise_formula(cell) for cell in header] if excel else header)
    start = (BYTE_ORDER_MARK if excel else "") + lines.pop()
    heads = _Rendered(excel, after=",")
    tails = _Rendered(excel, before=",", after="\r\n")
    for contexts, owns, attributes in chunks:
        if len(heads) + len(tails) > MAX_RENDERED:
            heads.clear()  # a context recurs within one turn: this keeps memory flat
            tails.clear()
        tail = tails[attributes] if attributes else "\r\n"
        pieces = zip(map(heads.__getitem__, contexts), owns, repeat(tail, len(owns)), strict=True)
        yield start + "".join(chain.from_iterable(pieces))
        start = ""
    if start:
        yield start


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
