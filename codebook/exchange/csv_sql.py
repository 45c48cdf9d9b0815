"""A coding's own CSV cells, written as one text by the database (SQLite or PostgreSQL).

``start, end, quote, memo, origin, created, updated`` of a coding come out of the
query as the text ``codings_csv.own_cells_text`` (the csv module) writes for them.
Handing Python seven values per coding, then the csv module quoting each of
them, was most of the export's time on SQLite; the database writes the text
while it reads the row. The SQL follows the csv module's rule for the export's
dialect: a text is put in double quotes, its double quotes doubled, when it
holds one of ``NEEDS_QUOTES``; numbers, the origin and the ISO dates never do.
For Excel, a quote or memo that starts like a formula first gets an apostrophe
(``FORMULA_STARTS``). ``tests/test_it_exports_coded_segments.py`` compares the
two writers on awkward texts on both databases.
"""

from django.db.models import F, Func, TextField
from django.db.models.functions import Cast

from codebook.exchange.codings_csv import FORMULA_STARTS, NEEDS_QUOTES

# Per database: "x holds the character c", the character with code n, x's first character.
_DIALECTS = {
    "sqlite": ("instr({x}, {c}) > 0", "char({n})", "substr({x}, 1, 1)"),
    "postgresql": ("strpos({x}, {c}) > 0", "chr({n})", "left({x}, 1)"),
}
# created/updated as ISO 8601 in UTC, microseconds always shown. Django stores SQLite
# datetimes as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
_ISO = {
    "sqlite": "CASE WHEN instr({x}, '.') THEN replace({x}, ' ', 'T') || '+00:00' "
    "ELSE replace({x}, ' ', 'T') || '.000000+00:00' END",
    "postgresql": "to_char({x} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')",
}
_VALUE = "(%(expressions)s)"  # where Django puts the column in a Func's template


def writes_csv(vendor: str) -> bool:
    """Whether this database can write the cells (else Python does, row by row)."""
    return vendor in _DIALECTS


def _char(vendor: str, character: str) -> str:
    # By code: no quoting or escaping of the character in the SQL text.
    return _DIALECTS[vendor][1].format(n=ord(character))


def _neutralised(vendor: str, x: str) -> str:
    first = _DIALECTS[vendor][2].format(x=x)
    starts = ", ".join(_char(vendor, character) for character in FORMULA_STARTS)
    return f"(CASE WHEN {first} IN ({starts}) THEN {_char(vendor, "'")} || {x} ELSE {x} END)"


def _quoted(vendor: str, x: str) -> str:
    holds = _DIALECTS[vendor][0]
    quote = _char(vendor, '"')
    needs = " OR ".join(holds.format(x=x, c=_char(vendor, c)) for c in NEEDS_QUOTES)
    doubled = f"{quote} || replace({x}, {quote}, {quote} || {quote}) || {quote}"
    return f"CASE WHEN {needs} THEN {doubled} ELSE {x} END"


class _Cells(Func):
    """Its expressions' texts joined by commas."""

    template = "%(expressions)s"
    arg_joiner = " || ',' || "
    output_field = TextField()


def own_cells(vendor: str, *, excel: bool) -> Func:
    """Return the expression for a coding's own cells as CSV text (no line end)."""

    def text(name: str) -> Func:
        value = _neutralised(vendor, _VALUE) if excel else _VALUE
        return Func(F(name), template=_quoted(vendor, value), output_field=TextField())

    return _Cells(
        Cast("start", TextField()),
        Cast("end", TextField()),
        text("quote"),
        text("memo"),
        F("origin"),
        *(
            Func(
                Cast(name, TextField()) if vendor == "sqlite" else F(name),
                template=_ISO[vendor].format(x=_VALUE),
                output_field=TextField(),
            )
            for name in ("created", "updated")
        ),
    )
