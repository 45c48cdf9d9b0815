"""Transcript text normalisation and offset helpers (no ORM).

Every passage in coprod is a half-open ``[start, end)`` range of Python ``str``
indices (Unicode code points) into an interview's stored text. The stored text
is normalised once, here, so that offsets never drift between the database,
spaCy (``span.start_char``) and exports.
"""

import unicodedata
from collections.abc import Iterable


def normalise_text(text: str) -> str:
    """Return text in NFC with ``\\n`` line ends and no byte-order mark."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def utf16_to_codepoint(text: str, utf16_offset: int) -> int:
    """Convert a browser (UTF-16 unit) offset into a code-point offset."""
    units = 0
    for index, char in enumerate(text):
        if units >= utf16_offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def codepoint_to_utf16(text: str, offset: int) -> int:
    """Convert a code-point offset into a browser (UTF-16 unit) offset."""
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)


def named_alike(names: Iterable[str], name: str) -> str | None:
    """Return the first of ``names`` equal to ``name`` but for case, in any script; else None.

    Titles, labels and code names are compared here rather than by the database: SQLite's
    LOWER and LIKE fold ASCII letters only, so "Café Ä" and "café ä" would both pass.
    """
    wanted = name.casefold()
    return next((other for other in names if other.casefold() == wanted), None)
