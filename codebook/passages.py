"""Offset arithmetic on transcript text, without the ORM.

Offsets are ``[start, end)`` in code points (Python ``str`` indices).
"""

import re


class PassageRefused(ValueError):
    """A passage that cannot be coded; its message is meant for the user."""


def trim_passage(text: str, start: int, end: int) -> tuple[int, int]:
    """Check ``[start, end)`` against the text and drop white space at both ends.

    Raises PassageRefused when the range is outside the text, empty, or only white space.
    """
    start, end, _ = trim_quote(len(text), start, end, text[start:end])
    return start, end


def trim_quote(length: int, start: int, end: int, passage: str) -> tuple[int, int, str]:
    """Like ``trim_passage`` from the text's length and ``text[start:end]`` alone.

    Lets the caller fetch only the passage from the database, not a long transcript.
    """
    if not 0 <= start < end <= length:
        raise PassageRefused(
            f"The passage [{start}, {end}) is outside this transcript (0 to {length})."
        )
    quote = passage.strip()
    if not quote:
        raise PassageRefused("The passage is empty or only white space: select some words.")
    start += len(passage) - len(passage.lstrip())
    return start, start + len(quote), quote


def parse_offset(value: str | None, name: str) -> int:
    """Read an offset sent by the browser; raise PassageRefused with a readable message."""
    try:
        offset = int(value or "")
    except ValueError:
        raise PassageRefused(f"The {name} of the passage is missing or not a number.") from None
    if offset < 0:
        raise PassageRefused(f"The {name} of the passage cannot be negative.")
    return offset


def in_vivo_name(quote: str, limit: int = 60) -> str:
    """Name a code after the selected words: single spaces, no “/”, at most ``limit`` long."""
    name = " ".join(quote.replace("/", " ").split())
    name = name.strip(" \"'“”‘’«»„.,;:!?–—-()[]")
    if len(name) > limit:
        name = name[:limit].rsplit(" ", 1)[0] + "…"
    return name


# A sentence ends after . ! ? or … (with any closing quotes or brackets) before white
# space, or at a line end. static/js/workbench/text.js splits sentences the same way.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’»)\]]*(?=\s|\Z)|(?=\n)")
_WINDOW = 4000


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Split text into sentences, each ``[start, end)`` trimmed of white space, plus ``offset``."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        _add_trimmed(spans, text, position, match.end(), offset)
        position = match.end()
    _add_trimmed(spans, text, position, len(text), offset)
    return spans


def _add_trimmed(spans: list, text: str, start: int, end: int, offset: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start + offset, end + offset))


def move_edge(
    text: str,
    start: int,
    end: int,
    edge: str,
    unit: str,
    step: int,
    spoken: list[tuple[int, int]] | None = None,
) -> tuple[int, int]:
    """Move one edge of ``[start, end)`` by a word or a sentence, left (-1) or right (+1).

    Moving the start left or the end right extends the passage; the other way shrinks it,
    never below one word or sentence. Raises PassageRefused when nothing can move.
    ``spoken`` is the ``[start, end)`` of each turn's spoken text, in order (the whole
    text when None): words and sentences are found in it alone, so an edge never lands
    in a speaker's name or a timestamp. A move past the edge of a turn goes on into the
    next turn's spoken text, as Shift+J and Shift+K do on the page.
    """
    if edge not in ("start", "end") or unit not in ("word", "sentence") or step not in (-1, 1):
        raise PassageRefused("Say which edge to move, by a word or a sentence, left or right.")
    moving = start if edge == "start" else end
    units = _units_near(text, [(0, len(text))] if spoken is None else spoken, moving, unit)
    bounds = _moved(units, start, end, edge, step)
    if bounds is None or bounds == (start, end):
        raise PassageRefused("The passage cannot move further that way.")
    return bounds


_WORD = re.compile(r"\S+")


def _units_near(text, spoken, position, unit):
    """Return the words or sentences of the spoken text within ``_WINDOW`` of ``position``.

    A piece cut by the window's edge is left out: its true start or end lies outside.
    """
    low, high = max(0, position - _WINDOW), min(len(text), position + _WINDOW)
    units: list[tuple[int, int]] = []
    for turn_start, turn_end in spoken:
        first, last = max(turn_start, low), min(turn_end, high)
        if first >= last:
            continue
        if unit == "word":
            pieces = [(m.start(), m.end()) for m in _WORD.finditer(text, first, last)]
        else:
            pieces = sentence_spans(text[first:last], first)
        if pieces and first > turn_start:
            pieces = pieces[1:]
        if pieces and last < turn_end:
            pieces = pieces[:-1]
        units.extend(pieces)
    return units


def _moved(units, start, end, edge, step):
    if edge == "end" and step == 1:
        ends = [e for _, e in units if e > end]
        return (start, ends[0]) if ends else None
    if edge == "start" and step == -1:
        starts = [s for s, _ in units if s < start]
        return (starts[-1], end) if starts else None
    if edge == "end":
        ends = [e for _, e in units if start < e < end]
        return (start, ends[-1]) if ends else None
    starts = [s for s, _ in units if start < s < end]
    return (starts[0], end) if starts else None
