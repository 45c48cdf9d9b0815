"""Adjust detected turns on the import preview, before anything is saved.

These change only the turns' ``speaker`` field; the text is never touched. A
label renamed from "INT" to "Interviewer" still reads "INT:" in the stored text,
because the stored text is the transcript as the researcher wrote it; the turn
says who speaks. Merging never joins turns, since the label between two turns
is not spoken text. Every function returns a new list and leaves its input as it
was, so the preview can offer an undo by keeping the old list.
"""

from dataclasses import replace
from typing import NamedTuple

from interviews.importing.turns import DetectedTurn, closing_credit_line


class SpeakerSummary(NamedTuple):
    """How much one speaker says: ``speaker`` is None for unattributed turns."""

    speaker: str | None
    turns: int
    words: int


def summarise_speakers(turns: list[DetectedTurn], text: str) -> list[SpeakerSummary]:
    """Count turns and words per speaker, in order of first appearance."""
    counts: dict[str | None, list[int]] = {}
    for turn in turns:
        tally = counts.setdefault(turn.speaker, [0, 0])
        tally[0] += 1
        tally[1] += len(text[turn.start : turn.end].split())
    return [SpeakerSummary(speaker, n, words) for speaker, (n, words) in counts.items()]


def rename_speaker(turns: list[DetectedTurn], old: str | None, new: str) -> list[DetectedTurn]:
    """Give every turn of ``old`` (None: the unattributed turns) the name ``new``.

    Renaming to a name already in use merges the two speakers.
    """
    new = " ".join(new.split())
    if not new:
        raise ValueError("a speaker needs a name")
    _check_present(turns, old)
    return [replace(t, speaker=new) if t.speaker == old else t for t in turns]


def merge_speakers(turns: list[DetectedTurn], speaker: str | None, into: str) -> list[DetectedTurn]:
    """Attribute every turn of ``speaker`` to ``into``, another detected speaker."""
    _check_present(turns, speaker)
    _check_present(turns, into)
    return [replace(t, speaker=into) if t.speaker == speaker else t for t in turns]


def split_paragraphs(text: str) -> list[DetectedTurn]:
    """Turn speaker detection off: one turn per non-blank line, without speakers.

    The whole line is the turn, labels and timestamps included; a closing credit
    ("Transcribed by https://otter.ai") is no turn, as in ``detect_turns``.
    """
    turns = []
    line_start = 0
    lines = text.split("\n")
    credit = closing_credit_line(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and index != credit:
            start = line_start + len(line) - len(line.lstrip())
            turns.append(DetectedTurn(None, start, start + len(stripped)))
        line_start += len(line) + 1
    return turns


def _check_present(turns: list[DetectedTurn], speaker: str | None) -> None:
    if not any(turn.speaker == speaker for turn in turns):
        name = "unattributed turns" if speaker is None else f"speaker {speaker!r}"
        raise ValueError(f"no {name} in this transcript")
