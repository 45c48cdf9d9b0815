"""Read a backup file without holding all of it: the layout ``iter_backup`` writes, line by line.

``iter_backup`` writes one row a line. A file in that layout is read twice: once to
check it and to learn its users and members (they come last, and restoring needs them
first), then again, row by row, while the rows are restored; memory stays flat with
the study's size. A file in any other JSON layout (reformatted by another tool, say)
is read whole with ``json.load``, as before. No third-party parser is needed.
"""

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

FORMAT = "coprod-study-backup"
VERSION = 2
# Versions this code restores. In version 1, the code ids inside a frozen codebook
# version were the ids of the database the backup came from; they are left out of it.
READS = (1, 2)
_TABLES = '"tables": ['
_USERS = '"users": '


class BackupError(ValueError):
    """A backup file that cannot be restored; the message says why."""


class _OtherLayout(ValueError):
    """The file is not laid out as ``iter_backup`` writes it (it may still be a backup).

    A ValueError: should it come up while restoring (the file changed since it was
    checked), ``restore_study`` reports the backup as damaged and restores nothing.
    """


@dataclass
class Table:
    model: str
    fields: list[str]
    rows: Iterable[list]


@dataclass
class Backup:
    """A checked backup: its header, users and members, and its tables to go through once."""

    study: str
    users: dict
    members: list[dict]  # the Membership rows, field name -> value (user names for users)
    _tables: Callable[[], Iterator[Table]] = field(repr=False)
    version: int = VERSION

    def tables(self) -> Iterator[Table]:
        """Yield the tables in file order; a table's rows must be read before the next table."""
        return self._tables()


def _check_tables(labels: Iterable[str], known: set[str]) -> None:
    unknown = [str(label) for label in labels if label not in known]
    if unknown:
        raise BackupError(f"This backup holds tables coprod does not know: {', '.join(unknown)}.")


def backup_of(document: dict, known: set[str]) -> Backup:
    """Check a parsed backup document (``dump_study``'s or a file's) and wrap it."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("This is not a coprod study backup (its format mark is missing).")
    _check_version(document)
    tables = document.get("tables")
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise BackupError("This backup is damaged: its tables are not a list of tables.")
    _check_study_and_users(document)
    _check_tables((table.get("model") for table in tables), known)
    members = []
    for table in tables:
        if table.get("model") == "interviews.Membership":
            members = [dict(zip(table["fields"], row, strict=False)) for row in table["rows"]]

    def each_table() -> Iterator[Table]:
        for table in tables:
            yield Table(table["model"], table["fields"], table["rows"])

    return Backup(document["study"], document["users"], members, each_table, document["version"])


def _check_study_and_users(header: dict) -> None:
    if not isinstance(header.get("study"), str) or not isinstance(header.get("users"), dict):
        raise BackupError("This backup is damaged: it does not name its study and users.")


def read_backup_file(source: IO, known: set[str]) -> Backup:
    """Check a backup file (text or binary, seekable) and return it, to be restored from."""
    try:
        return _read_streaming(source, known)
    except _OtherLayout:
        source.seek(0)
    try:
        document = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BackupError(f"This is not a coprod study backup (not JSON: {error}).") from error
    return backup_of(document, known)


def _read_streaming(source: IO, known: set[str]) -> Backup:
    header: dict = {}
    labels: list[str] = []
    members: list[dict] = []
    users: dict = {}
    fields: list[str] = []
    for kind, value in _walk(source):
        if kind == "header":
            header = value
            if header.get("format") != FORMAT:
                raise BackupError("This is not a coprod study backup (its format mark is missing).")
            _check_version(header)
        elif kind == "table":
            labels.append(value[0])
            fields = value[1]
        elif kind == "row" and labels[-1] == "interviews.Membership":
            members.append(dict(zip(fields, value, strict=False)))
        elif kind == "users":
            users = value
    _check_tables(labels, known)
    _check_study_and_users({"study": header.get("study"), "users": users})

    def each_table() -> Iterator[Table]:
        source.seek(0)
        numbered = _numbered(_walk(source))
        for _, events in itertools.groupby(numbered, key=lambda event: event[0]):
            first = next(events)
            if first[1] != "table":  # the header and the users are not tables
                continue
            model, fields = first[2]
            # Handed on once and read before the next table is asked for (see Backup.tables).
            yield Table(model, fields, (value for _, _, value in events))  # noqa: B031

    return Backup(header["study"], users, members, each_table, header["version"])


def _numbered(events: Iterator[tuple[str, object]]) -> Iterator[tuple[int, str, object]]:
    """Number the events by table: a table and its rows share a number."""
    number = 0
    for kind, value in events:
        if kind != "row":
            number += 1
        yield number, kind, value


def _check_version(header: dict) -> None:
    if header.get("version") not in READS:
        raise BackupError(
            f"This backup has version {header.get('version')}; coprod reads "
            f"{' and '.join(map(str, READS))}."
        )


def _walk(source: IO) -> Iterator[tuple[str, object]]:
    """Yield ("header", dict), ("table", (model, fields)), ("row", list)..., ("users", dict).

    Raises _OtherLayout at the first line not as ``iter_backup`` writes it. Each row is on
    one line: ``json.dumps`` writes line breaks inside strings as ``\\n``.
    """
    decoder = json.JSONDecoder()
    lines = (_text(line).strip() for line in source)
    try:
        first = next(lines, "")
        if not (first.startswith('{"format": ') and first.endswith(",")):
            raise _OtherLayout
        yield "header", json.loads(first[:-1] + "}")
        if next(lines, None) != _TABLES:
            raise _OtherLayout
        in_rows = False
        for line in lines:
            if in_rows:
                row, end = decoder.raw_decode(line)
                rest = line[end:]
                if not isinstance(row, list) or rest not in (",", "]}", "]},"):
                    raise _OtherLayout
                yield "row", row
                in_rows = rest == ","
            elif line.startswith('{"model": ') and line.endswith('"rows": ['):
                table = json.loads(line + "]}")
                yield "table", (table["model"], table["fields"])
                in_rows = True
            elif line.startswith('{"model": ') and line.removesuffix(",").endswith('"rows": []}'):
                table = json.loads(line.removesuffix(","))
                yield "table", (table["model"], table["fields"])
            elif line == "],":
                break
            else:
                raise _OtherLayout
        last = next(lines, "")
        if not (last.startswith(_USERS) and last.endswith("}")):
            raise _OtherLayout
        yield "users", json.loads(last[len(_USERS) : -1])
        if any(lines):
            raise _OtherLayout
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as error:
        raise _OtherLayout from error


def _text(line: str | bytes) -> str:
    return line.decode("utf-8") if isinstance(line, bytes) else line
