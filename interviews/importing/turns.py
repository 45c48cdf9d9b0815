"""Find speaker turns in transcript text (no ORM).

The stored text is the transcript exactly as read (normalised), labels and
timestamps included, because researchers want to see and export the original.
A turn points at its *spoken* text only: ``text[turn.start:turn.end]`` leaves out
the ``Name:`` label, any timestamp and surrounding whitespace. Offsets are code
points, like every offset in coprod.

A paragraph is one line of the text. The rules:

- A label is ``Name:`` (or ``Name`` then a tab, as in Word tables and hanging
  indents) at the start of a line. The name is at most 40 characters and 5 words,
  begins with a letter that is not lower case, and every word begins with a
  capital or a digit, except name particles such as "de" or "van"; so "The point
  is this: ..." is not a label. It holds no sentence punctuation; a full stop only
  ends an initial ("J."), a title ("Dr.") or a role abbreviation ("Int.").
  Common header keys ("Date:", "Location:", "Note:") are not speakers. Markdown
  bold (``**Name:**``) is allowed.
  An ASCII colon must be followed by whitespace; a full-width colon (``李明：``)
  need not, as Chinese and Japanese are typed without the space.
- A timestamp (``[00:12:03]``, ``(00:12:03)``, ``00:12:03``, ``12:03``,
  ``[12:03]``, optional fraction) may stand before the label, between the name
  and the colon (``Speaker 1 (00:12):``) or right after the colon. After the
  colon, and at the start of an unlabelled line, a bare ``12:03`` is not taken
  for a timestamp (it is too often just text); brackets or hours are needed.
- A line holding only a name, two or more spaces (or a tab) and a clock
  (``Speaker 1  0:03``, Otter.ai's plain-text export) is a label alone on its
  line with that timestamp. The wide gap is required: "Agenda 10:30" is a heading.
- A line holding only a timestamp gives it to the next turn.
- A line with a label starts a turn. A label alone on its line starts a turn
  whose text is on the following lines.
- An unlabelled line after a labelled turn continues that speaker's turn, so a
  multi-paragraph answer (or a hard-wrapped one) stays one turn; if the line
  starts with a timestamp it begins a new turn of the same speaker instead.
- Unlabelled lines before the first label are one turn each, with no speaker.
- A closing credit that a transcription service writes as the last line
  ("Transcribed by https://otter.ai", Otter.ai's plain-text and Word exports:
  "Transcribed by" and a web address, nothing else) is no one's words: it stays
  in the text, outside every turn, so it is neither coded nor counted as the
  last speaker's.
- Only when no line has a label: a document whose every paragraph (lines
  between blank lines) starts with a name alone on its line (``INTERVIEWER``,
  ``Interviewer``) followed by text, with at least two such names each heading
  two paragraphs or more, is read as that name's turns. Anything less and a
  one-word line ("Yes", "Background") is too easily a sentence or a heading, so
  the lines stay unlabelled.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from interviews.text import normalise_text


@dataclass(frozen=True)
class DetectedTurn:
    """One speaker turn: ``[start, end)`` is the spoken text, in code points."""

    speaker: str | None
    start: int
    end: int
    timestamp: int | None = None


_CLOCK = r"\d{1,2}:[0-5]\d:[0-5]\d(?:[.,]\d{1,3})?"
_SHORT_CLOCK = r"\d{1,3}:[0-5]\d(?:[.,]\d{1,3})?"
_ANY_CLOCK = rf"(?:{_CLOCK}|{_SHORT_CLOCK})"
# Strict forms are safe anywhere; loose ones only where text cannot follow.
_STRICT_TIMESTAMP = rf"(?:\[{_ANY_CLOCK}\]|\({_ANY_CLOCK}\)|{_CLOCK})"
_LOOSE_TIMESTAMP = rf"(?:\[{_ANY_CLOCK}\]|\({_ANY_CLOCK}\)|{_ANY_CLOCK})"

_LEADING_TIMESTAMP = re.compile(rf"(?P<ts>{_LOOSE_TIMESTAMP})(?=\s|$)")
_AFTER_LABEL_TIMESTAMP = re.compile(rf"(?P<ts>{_STRICT_TIMESTAMP})(?=\s|$)")
_HEADER = re.compile(
    rf"(?P<name>[^:：\t\n*]{{1,40}}?)(?:[ ]{{2,}}|[ ]*\t[ \t]*)(?P<ts>{_ANY_CLOCK})"
)
_LABEL = re.compile(
    rf"""
    (?:\*\*|__)?
    (?P<name>[^:：\t\n*]{{1,40}}?)
    (?:[ ]*(?P<ts>{_LOOSE_TIMESTAMP}))?
    [ ]*(?:\*\*|__)?
    (?::(?:\*\*|__)?(?=\s|$)|：(?:\*\*|__)?|(?=\t))
    """,
    re.VERBOSE,
)

_NAME_PARTICLES = frozenset(
    {
        "al", "bin", "da", "das", "de", "del", "della", "den", "der", "des", "di",
        "do", "dos", "du", "e", "el", "ibn", "la", "le", "of", "ten", "ter", "the",
        "van", "von", "y", "zu",
    }
)  # fmt: skip
_TITLES = frozenset(
    {
        "capt", "cllr", "col", "det", "dr", "dra", "fr", "gen", "hon", "hr", "insp",
        "jr", "lt", "mlle", "mme", "mr", "mrs", "ms", "mx", "prof", "rev", "sgt",
        "sr", "sra", "srta", "st",
    }
)  # fmt: skip
# Role abbreviations written with a full stop, like titles ("Int.: So tell me").
_ROLE_ABBREVIATIONS = frozenset({"int", "mod", "resp"})
_NOT_SPEAKERS = frozenset(
    {
        "address", "attendees", "cc", "date", "duration", "e-mail", "email",
        "example", "file", "file name", "filename", "http", "https", "keywords",
        "language", "length", "location", "nb", "note", "notes", "participants",
        "phone", "place", "present", "project", "ps", "re", "recording", "source",
        "study", "subject", "summary", "tel", "time", "title", "transcribed by",
        "transcriber", "transcript", "url", "venue",
    }
)  # fmt: skip
_NAME_PUNCTUATION = frozenset(" .-'’()#&/")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def looks_like_speaker(name: str) -> bool:
    """Tell whether a label's name passes the speaker rules in this module's doc."""
    name = name.strip()
    words = name.split()
    if not words or len(name) > 40 or len(words) > 5:
        return False
    if name.casefold() in _NOT_SPEAKERS:
        return False
    if not name[0].isalpha() or name[0].islower():
        return False
    for char in name:
        if not (
            char.isalnum()
            or char in _NAME_PUNCTUATION
            or unicodedata.category(char).startswith("M")
        ):
            return False
    return all(_is_name_word(word) for word in words)


def _is_name_word(word: str) -> bool:
    if "." in word and not (_INITIALS.fullmatch(word) or _is_title(word)):
        return False
    first = word.lstrip("(#'’")[:1]
    if first.islower():
        return word in _NAME_PARTICLES
    return True


def _is_title(word: str) -> bool:
    stem = word[:-1].casefold()
    return word.endswith(".") and (stem in _TITLES or stem in _ROLE_ABBREVIATIONS)


def parse_timestamp(token: str) -> int:
    """Return the whole seconds of a timestamp such as ``[01:02:03]`` or ``12:03``."""
    clock = token.strip("[]()").replace(",", ".")
    seconds = 0.0
    for part in clock.split(":"):
        seconds = seconds * 60 + float(part)
    return int(seconds)


@dataclass(frozen=True)
class ParsedLine:
    """What one line says: its speaker label, timestamp and where its text starts."""

    speaker: str | None
    timestamp: int | None
    text_start: int  # index into the line; equals text_end when there is no text
    text_end: int
    labelled: bool


def parse_line(line: str) -> ParsedLine:
    """Split a line into label, timestamp and spoken text (offsets into the line)."""
    text_end = len(line.rstrip())
    pos = len(line) - len(line.lstrip())
    header = _HEADER.fullmatch(line, pos, text_end)
    if header and looks_like_speaker(header.group("name")):
        speaker = " ".join(header.group("name").split())
        return ParsedLine(speaker, parse_timestamp(header.group("ts")), text_end, text_end, True)
    timestamp = None
    leading = _LEADING_TIMESTAMP.match(line, pos)
    after_timestamp = pos
    if leading:
        after_timestamp = _skip_spaces(line, leading.end())
    label = _LABEL.match(line, after_timestamp)
    if label and looks_like_speaker(label.group("name")):
        if leading:
            timestamp = parse_timestamp(leading.group("ts"))
        elif label.group("ts"):
            timestamp = parse_timestamp(label.group("ts"))
        start = _skip_spaces(line, label.end())
        trailing = _AFTER_LABEL_TIMESTAMP.match(line, start)
        if trailing:
            if timestamp is None:
                timestamp = parse_timestamp(trailing.group("ts"))
            start = _skip_spaces(line, trailing.end())
        speaker = " ".join(label.group("name").split())
        return ParsedLine(speaker, timestamp, min(start, text_end), text_end, True)
    if leading and (
        after_timestamp >= text_end or _AFTER_LABEL_TIMESTAMP.fullmatch(leading.group("ts"))
    ):
        timestamp = parse_timestamp(leading.group("ts"))
        pos = min(after_timestamp, text_end)
    return ParsedLine(None, timestamp, pos, text_end, False)


def split_speaker_label(line: str) -> tuple[str | None, str]:
    """Return ``(speaker, rest)`` for a caption line that may start with ``Name:``."""
    parsed = parse_line(line)
    if not parsed.labelled:
        return None, line.strip()
    return parsed.speaker, line[parsed.text_start : parsed.text_end]


def _skip_spaces(line: str, pos: int) -> int:
    while pos < len(line) and line[pos].isspace():
        pos += 1
    return pos


class _OpenTurn:
    def __init__(self, speaker: str | None, timestamp: int | None) -> None:
        self.speaker = speaker
        self.timestamp = timestamp
        self.start: int | None = None
        self.end = 0

    def add(self, start: int, end: int) -> None:
        if self.start is None:
            self.start = start
        self.end = end

    def close(self) -> DetectedTurn | None:
        if self.start is None:
            return None
        return DetectedTurn(self.speaker, self.start, self.end, self.timestamp)


def detect_turns(text: str, cues: Iterable[tuple] | None = None) -> list[DetectedTurn]:
    """Find speaker turns in normalised text; with cues, use them instead of guessing.

    ``cues`` are a caption file's ``(start_seconds, speaker, text)``; the text
    must then be the one ``build_transcript(cues)`` wrote (``ValueError`` if not).
    """
    if cues is not None:
        built, built_turns = build_transcript(cues)
        if built != text:
            raise ValueError("the text was not built from these cues")
        return built_turns
    turns: list[DetectedTurn] = []
    current: _OpenTurn | None = None
    pending_timestamp: int | None = None

    def close() -> None:
        if current is not None and (turn := current.close()) is not None:
            turns.append(turn)

    lines = text.split("\n")
    parsed_lines = [parse_line(line) for line in lines]
    credit = closing_credit_line(lines)
    if credit is not None:
        end = len(lines[credit])
        parsed_lines[credit] = ParsedLine(None, None, end, end, False)
    if not any(parsed.labelled for parsed in parsed_lines):
        said = lines if credit is None else lines[:credit]
        for index, speaker in _names_alone(said).items():
            end = len(lines[index].rstrip())
            parsed_lines[index] = ParsedLine(speaker, None, end, end, True)
    line_start = 0
    for line, parsed in zip(lines, parsed_lines, strict=True):
        has_text = parsed.text_start < parsed.text_end
        start = line_start + parsed.text_start
        end = line_start + parsed.text_end
        line_start += len(line) + 1
        if parsed.labelled:
            close()
            timestamp = parsed.timestamp
            if timestamp is None:
                timestamp = pending_timestamp
            pending_timestamp = None
            current = _OpenTurn(parsed.speaker, timestamp)
            if has_text:
                current.add(start, end)
            continue
        if not has_text:
            if parsed.timestamp is not None:
                pending_timestamp = parsed.timestamp
            continue
        timestamp = parsed.timestamp
        if timestamp is None:
            timestamp = pending_timestamp
        pending_timestamp = None
        if current is not None and current.speaker is not None:
            if current.start is None:
                if current.timestamp is None:
                    current.timestamp = timestamp
                current.add(start, end)
                continue
            if timestamp is None:
                current.add(start, end)
                continue
            close()
            current = _OpenTurn(current.speaker, timestamp)
        else:
            close()
            current = _OpenTurn(None, timestamp)
        current.add(start, end)
    close()
    return turns


_CLOSING_CREDIT = re.compile(
    r"transcribed by\s+(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?",
    re.IGNORECASE,
)


def closing_credit_line(lines: list[str]) -> int | None:
    """Return the index of the last line if it is a transcription service's credit."""
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip():
            return index if _CLOSING_CREDIT.fullmatch(lines[index].strip()) else None
    return None


def closing_credit_span(text: str) -> tuple[int, int] | None:
    """Return ``[start, end)`` of the text's closing credit, trimmed, if it ends with one.

    ``detect_turns`` leaves the credit in no turn: it is the one text outside every turn
    that is not a speaker label or a timestamp.
    """
    lines = text.split("\n")
    index = closing_credit_line(lines)
    if index is None:
        return None
    line = lines[index]
    line_start = sum(len(before) + 1 for before in lines[:index])
    return line_start + len(line) - len(line.lstrip()), line_start + len(line.rstrip())


def _names_alone(lines: list[str]) -> dict[int, str]:
    """Return the name heading each paragraph, by line index, if every paragraph has one."""
    paragraphs: list[list[int]] = []
    previous_blank = True
    for index, line in enumerate(lines):
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank:
            paragraphs.append([])
        paragraphs[-1].append(index)
        previous_blank = False
    headers: dict[int, str] = {}
    for paragraph in paragraphs:
        first = lines[paragraph[0]].strip()
        if len(paragraph) < 2 or not looks_like_speaker(first):
            return {}
        headers[paragraph[0]] = " ".join(first.split())
    counts: dict[str, int] = {}
    for name in headers.values():
        counts[name] = counts.get(name, 0) + 1
    if len(counts) < 2 or min(counts.values()) < 2:
        return {}
    return headers


def format_timestamp(seconds: int) -> str:
    """Write whole seconds as ``HH:MM:SS``."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def build_transcript(
    turns_spec: Iterable[tuple],
) -> tuple[str, list[DetectedTurn]]:
    """Write ``[HH:MM:SS] Speaker: text`` lines from cues and return text and turns.

    Each spec is ``(start_seconds or None, speaker or None, text)``. Consecutive
    specs of the same named speaker become one line and one turn; specs without a
    speaker are never merged (a caption file without voices would otherwise be one
    giant turn). Whitespace inside a spec's text is collapsed to single spaces.
    """
    lines: list[list] = []  # [timestamp, speaker, text]
    for start_seconds, speaker, spoken in turns_spec:
        speaker = " ".join(normalise_text(speaker).split()) if speaker else ""
        spoken = " ".join(normalise_text(spoken).split())
        if not spoken:
            continue
        if speaker and lines and lines[-1][1] == speaker:
            lines[-1][2] += " " + spoken
            continue
        timestamp = None if start_seconds is None else int(start_seconds)
        if timestamp is not None and timestamp < 0:
            raise ValueError("a cue cannot start before 0 seconds")
        lines.append([timestamp, speaker or None, spoken])
    parts = []
    turns = []
    offset = 0
    for timestamp, speaker, spoken in lines:
        prefix = ""
        if timestamp is not None:
            prefix += f"[{format_timestamp(timestamp)}] "
        if speaker:
            prefix += f"{speaker}: "
        start = offset + len(prefix)
        turns.append(DetectedTurn(speaker, start, start + len(spoken), timestamp))
        line = prefix + spoken
        parts.append(line)
        offset += len(line) + 1
    return "\n".join(parts), turns
