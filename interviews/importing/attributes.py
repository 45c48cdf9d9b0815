"""Read participant attributes (age, site, role...) from a spreadsheet's CSV.

The first row names the columns: one must be "participant" (any case), the
others are attributes. Row numbers are those a spreadsheet shows: the header is
row 1. Blank rows are skipped silently. A row without a participant, or for a
participant already seen (compared without regard to case), is skipped and
reported, and the rest of the file is still read; a header that names a column
twice refuses the whole file, since values could land under the wrong name.
Empty cells are left out of a row's attributes rather than stored as "".
With ``limits`` (the database's column lengths), a row whose label or a value is
longer is skipped and reported, and a column name that is too long refuses the file.

Excel writes CSV in the computer's code page and, in much of Europe, with ";"
between cells: both are accepted (UTF-8 with or without BOM, UTF-16 with BOM,
else Windows-1252; the separator the header uses most among , ; and tab).
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from interviews.importing.common import ImportRefused, decode_text

MAX_BYTES = 5 * 1024 * 1024

Row = tuple[str, dict[str, str]]
Problem = tuple[int, str]


@dataclass(frozen=True)
class Limits:
    """The longest text, in characters, that each part of a row may hold."""

    label: int
    name: int
    value: int
    # Columns whose values have their own limit (a built-in field), by casefolded name.
    columns: dict[str, int] = field(default_factory=dict)


def parse_attribute_csv(
    data: bytes, *, max_bytes: int = MAX_BYTES, limits: Limits | None = None
) -> tuple[list[Row], list[Problem]]:
    """Return ``(participant, {attribute: value})`` rows and ``(row, reason)`` problems."""
    if not data.strip():
        raise ImportRefused("empty file: there is nothing to import")
    if len(data) > max_bytes:
        raise ImportRefused(f"file too large: the limit is {max_bytes // 1024:,} KB")
    text, _ = decode_text(data)
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    records = _records(text)
    header = [_clean(name) for name in records[0]]
    participant_column = _participant_column(header)
    attributes = _attribute_columns(header, records[1:], participant_column)
    if limits is not None:
        _check_names(attributes, limits)
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        cells = [_clean(cell) for cell in record]
        if not any(cells):
            continue
        if len(cells) > len(header) and any(cells[len(header) :]):
            problems.append((number, "more cells than the header has columns: extra cells ignored"))
        label = cells[participant_column] if participant_column < len(cells) else ""
        if not label:
            problems.append((number, "no participant: row skipped"))
            continue
        key = label.casefold()
        if key in seen:
            problems.append(
                (
                    number,
                    f"participant {label!r} is also in row {seen[key]}: row skipped",
                )
            )
            continue
        seen[key] = number
        values = {
            name: cells[index] for index, name in attributes if index < len(cells) and cells[index]
        }
        too_long = _too_long(label, values, limits) if limits else ""
        if too_long:
            problems.append((number, too_long))
            continue
        rows.append((label, values))
    if not rows and not problems:
        raise ImportRefused("no participants to import: there are no rows below the header")
    return rows, problems


def _records(text: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise ImportRefused(f"corrupt CSV file: {error}") from None
    if not records:
        raise ImportRefused("empty file: there is nothing to import")
    return records


def _clean(cell: str) -> str:
    return " ".join(cell.split())


def _participant_column(header: list[str]) -> int:
    matches = [i for i, name in enumerate(header) if name.casefold() == "participant"]
    if not matches:
        raise ImportRefused(
            "no participant column: the first row must name one column 'participant'"
        )
    return matches[0]


def _attribute_columns(
    header: list[str], records: list[list[str]], participant_column: int
) -> list[tuple[int, str]]:
    columns = []
    seen: set[str] = set()
    for index, name in enumerate(header):
        if not name:
            if any(index < len(r) and r[index].strip() for r in records):
                raise ImportRefused(
                    f"column {index + 1} has values but no name: name it in the first row"
                )
            continue  # spreadsheets often leave empty trailing columns
        key = name.casefold()
        if key in seen:
            raise ImportRefused(
                f"duplicate column name {name!r}: each column needs a different name"
            )
        seen.add(key)
        if index != participant_column:
            columns.append((index, name))
    return columns


def _check_names(attributes: list[tuple[int, str]], limits: Limits) -> None:
    for index, name in attributes:
        if len(name) > limits.name:
            raise ImportRefused(
                f"the name of column {index + 1} is {len(name)} characters long, longer than "
                f"the {limits.name} allowed: shorten it in the first row"
            )


def _too_long(label: str, values: dict[str, str], limits: Limits) -> str:
    """Say why the row cannot be stored whole, or return ""."""
    if len(label) > limits.label:
        return (
            f"the participant is {len(label)} characters long, longer than the "
            f"{limits.label} allowed: row skipped"
        )
    for name, value in values.items():
        limit = limits.columns.get(name.casefold(), limits.value)
        if len(value) > limit:
            return (
                f"the value of {name!r} is {len(value)} characters long, longer than the "
                f"{limit} allowed: row skipped"
            )
    return ""
