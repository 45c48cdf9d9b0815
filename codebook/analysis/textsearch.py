"""Finding words and phrases in a transcript, without the ORM.

Offsets are code points of the stored (normalised) text, like every passage.
"""

import re
from dataclasses import dataclass

CONTEXT = 80


@dataclass(frozen=True)
class Hit:
    """One place a search found: ``[start, end)`` in one interview, with its surroundings."""

    interview_id: int
    start: int
    end: int
    before: str
    match: str
    after: str

    @property
    def key(self) -> str:
        """Name the hit in a form field: ``interview:start:end``."""
        return f"{self.interview_id}:{self.start}:{self.end}"


def phrase_pattern(query: str) -> re.Pattern[str] | None:
    """Compile ``query`` into a pattern for lower-cased text: its words in order, any white
    space between them, a whole word at the end; None for a query with no words.

    ``find_phrase`` checks the start of the first word: a leading ``\\b`` would
    stop the regular expression engine from skipping ahead to the first letter,
    which makes a search of a long transcript twenty times slower.
    """
    words = query.lower().split()
    if not words:
        return None
    body = r"\s+".join(re.escape(word) for word in words)
    tail = r"\b" if re.search(r"\w$", words[-1]) else ""
    return re.compile(body + tail)


def find_phrase(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Return every ``[start, end)`` where ``pattern`` matches ``text`` whatever the case,
    starting a word."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few letters grow when lower-cased ("İ"); offsets must stay the text's own.
        lowered, pattern = text, re.compile(pattern.pattern, re.IGNORECASE)
    spans = []
    for match in pattern.finditer(lowered):
        start = match.start()
        if start and _is_word(lowered[start]) and _is_word(lowered[start - 1]):
            continue
        spans.append(match.span())
    return spans


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def context_around(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """Return up to ``width`` code points before and after ``[start, end)``, cut at white space."""
    before = text[max(start - width, 0) : start]
    after = text[end : end + width]
    if start - width > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if end + width < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return before, after


def make_hit(interview_id: int, text: str, start: int, end: int) -> Hit:
    before, after = context_around(text, start, end)
    return Hit(interview_id, start, end, before, text[start:end], after)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Return ``[start, end)`` without leading and trailing white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the blank-line-separated paragraph that holds ``[start, end)``."""
    before = text.rfind("\n\n", 0, start)
    after = text.find("\n\n", end)
    return (0 if before < 0 else before + 2), (len(text) if after < 0 else after)


def span_around(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Return the union of the ``spans`` that ``[start, end)`` touches, or None."""
    touched = [(s, e) for s, e in spans if s < end and e > start]
    if not touched:
        return None
    return min(s for s, _ in touched), max(e for _, e in touched)
