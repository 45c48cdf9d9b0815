"""Plain records passed into and out of the suggestion engine (no ORM).

Offsets are half-open ``[start, end)`` ranges of Python ``str`` indices (Unicode
code points) into one interview's normalised text, the same units spaCy's
``span.start_char`` uses.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, NamedTuple

# Not frozen: a frozen dataclass is ten times slower to build, and an
# interview makes tens of thousands of segments.


@dataclass(slots=True)
class Turn:
    """A speaker turn; the span points at the spoken text."""

    start: int
    end: int
    speaker: str
    is_interviewer: bool


@dataclass(slots=True)
class Segment:
    """A candidate passage inside one speaker turn."""

    start: int
    end: int
    turn_index: int


@dataclass(slots=True)
class CodeEntry:
    """What a suggester needs to know about one code of the codebook.

    ``token_patterns`` are spaCy ``Matcher`` patterns (a list of patterns, each
    a list of token dicts).
    """

    id: Hashable
    path: str
    indicator_terms: list[str]
    token_patterns: list[list[dict[str, Any]]] | None = None


class Suggestion(NamedTuple):
    """A proposed coding for a person to accept or reject; ``score`` is within [0, 1].

    A named tuple: a run makes thousands, and its fields go into the database in this
    order (``suggestion_store.store_suggestions``).
    """

    start: int
    end: int
    code_id: Hashable
    score: float
    suggester: str
    model_version: str
    explanation: str
