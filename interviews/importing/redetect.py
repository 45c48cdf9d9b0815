"""Find the turns of a corrected transcript, keeping the speakers' names and roles (no ORM).

The stored turns may name speakers differently from the labels in the text
(renamed on the import preview, "INT" shown as "Interviewer"), and carry roles.
After a correction the turns are detected again; a label that still appears
gets the name and role its turns had before. A new label keeps its own name
and no role. When no stored turn has a speaker (detection was off at import),
the corrected text is split into paragraphs again instead.
"""

from collections.abc import Iterable
from typing import NamedTuple

from interviews.importing.preview import split_paragraphs
from interviews.importing.turns import detect_turns


class StoredTurn(NamedTuple):
    speaker: str
    role: str
    start: int


class RedetectedTurn(NamedTuple):
    speaker: str
    role: str
    start: int
    end: int
    timestamp: int | None


def redetect_turns(
    old_text: str, old_turns: Iterable[StoredTurn], new_text: str
) -> list[RedetectedTurn]:
    """Return the turns of ``new_text``, named as the old turns with the same label were."""
    old_turns = list(old_turns)
    if not any(turn.speaker for turn in old_turns):
        return [RedetectedTurn("", "", t.start, t.end, None) for t in split_paragraphs(new_text)]
    stored_at = {turn.start: turn for turn in old_turns}
    naming: dict[str, tuple[str, str]] = {}
    for detected in detect_turns(old_text):
        stored = stored_at.get(detected.start)
        if detected.speaker and stored is not None:
            naming.setdefault(detected.speaker, (stored.speaker, stored.role))
    turns = []
    for detected in detect_turns(new_text):
        label = detected.speaker or ""
        speaker, role = naming.get(label, (label, ""))
        turns.append(
            RedetectedTurn(speaker, role, detected.start, detected.end, detected.timestamp)
        )
    return turns
