"""Write and read the codebook as CSV, one row per code. Pure: strings in, strings out."""

import csv
import io
from typing import Any

from codebook.exchange.entries import CodebookFileError, blank_entry, order_entries

# (column heading, entry field); "notes" is ours, beyond the columns other tools expect.
COLUMNS = [
    ("path", "path"),
    ("name", "name"),
    ("parent path", "parent_path"),
    ("grouping-only", "grouping_only"),
    ("colour", "colour"),
    ("definition", "definition"),
    ("inclusion", "inclusion"),
    ("exclusion", "exclusion"),
    ("example", "example"),
    ("counter-example", "counter_example"),
    ("indicator terms", "indicator_terms"),
    ("shortcut", "shortcut"),
    ("notes", "notes"),
]
FIELD_OF = dict(COLUMNS)
YES = {"yes", "true", "1", "y", "x"}
NO = {"no", "false", "0", "n", ""}


def write_codebook_csv(entries: list[dict[str, Any]]) -> str:
    """Return the CSV text of the entries (indicator terms one per line inside their cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for heading, _ in COLUMNS])
    for entry in entries:
        row = []
        for _, field in COLUMNS:
            value = entry.get(field, "")
            row.append(("yes" if value else "no") if field == "grouping_only" else value)
        writer.writerow(row)
    return out.getvalue()


def read_codebook_csv(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the entries of a codebook CSV (parents first) and warnings, or raise.

    Only ``path`` is required; ``name`` and ``parent path`` are derived from it when absent.
    """
    text = text.removeprefix("\ufeff")
    # Only the separator is guessed, from the heading line (spreadsheets in some locales
    # write ";"). The rest is the standard dialect: the sniffer, given a line without
    # quotes, would also turn off doubled quotes and break every quotation in the cells.
    try:
        delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise CodebookFileError(f"The file is not readable as CSV: {error}.") from error
    if not rows:
        raise CodebookFileError("The file is empty.")
    headings = [heading.strip().lower() for heading in rows[0]]
    unknown = [heading for heading in headings if heading not in FIELD_OF]
    if unknown:
        known = ", ".join(heading for heading, _ in COLUMNS)
        raise CodebookFileError(
            f"Unknown columns: {', '.join(unknown)}. The columns coprod reads are: {known}."
        )
    if "path" not in headings:
        raise CodebookFileError("The file has no “path” column.")
    if len(set(headings)) != len(headings):
        raise CodebookFileError("A column appears twice.")
    entries, problems, warnings = [], [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(headings):
            problems.append(f"Line {number} has more cells than there are columns.")
            continue
        values = dict(zip(headings, [cell.strip() for cell in row], strict=False))
        entry = _entry_from(values, number, problems)
        if entry:
            entries.append(entry)
    if problems:
        raise CodebookFileError(problems)
    if not entries:
        raise CodebookFileError("The file has no codes.")
    return order_entries(entries), warnings


def _entry_from(values: dict[str, str], number: int, problems: list[str]) -> dict[str, Any] | None:
    segments = [" ".join(part.split()) for part in values["path"].split("/")]
    if not all(segments):
        problems.append(
            f"Line {number}: the path “{values['path']}” is empty or has an empty part."
        )
        return None
    path = "/".join(segments)
    name = " ".join(values.get("name", segments[-1]).split())
    parent_path = values.get("parent path", "/".join(segments[:-1]))
    parent_path = "/".join(
        " ".join(part.split()) for part in parent_path.split("/") if part.strip()
    )
    entry = blank_entry(path, parent_path, name)
    for heading, value in values.items():
        field = FIELD_OF[heading]
        if field in ("path", "name", "parent_path"):
            continue
        if field == "grouping_only":
            if value.lower() not in YES | NO:
                problems.append(f"Line {number}: grouping-only should be yes or no, not “{value}”.")
            entry[field] = value.lower() in YES
        elif field == "colour" and not value:
            continue
        else:
            entry[field] = value.replace("\r\n", "\n")
    return entry
