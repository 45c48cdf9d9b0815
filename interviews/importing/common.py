"""What every reader returns or raises, and the text clean-up they share."""

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from interviews.text import normalise_text


class ImportRefused(ValueError):
    """A file that cannot be imported; ``str(error)`` is the one message to show."""


class Cue(NamedTuple):
    """One caption of a VTT or SRT file."""

    start: float  # seconds from the start of the recording
    speaker: str | None
    text: str


@dataclass
class ReadResult:
    """The normalised text of a file, what the researcher should know, and cues."""

    text: str
    warnings: list[str] = field(default_factory=list)
    cues: list[Cue] | None = None


NOT_UTF8_WARNING = "not UTF-8: read as Windows-1252"

_LINE_SEPARATORS = str.maketrans(
    {"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
)
# Control characters other than tab and newline only confuse offsets and display.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def tidy_text(text: str) -> str:
    """Normalise text and turn stray line separators and control characters away."""
    text = normalise_text(text).translate(_LINE_SEPARATORS)
    return _CONTROL_CHARACTERS.sub("", text)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode a text file: a BOM decides, else UTF-8, else Windows-1252 with a warning."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8"), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16"), []
    if b"\x00" in data:
        raise ImportRefused(
            "not a text file: it contains NUL bytes "
            "(a binary file, or UTF-16 without a byte-order mark)"
        )
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        # Five bytes are undefined in this code page: show them as U+FFFD.
        return data.decode("cp1252", errors="replace"), [NOT_UTF8_WARNING]


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportRefused(
            f"corrupt text file: it says it is {encoding.upper()} but is not"
        ) from None
