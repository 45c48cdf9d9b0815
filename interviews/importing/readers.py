"""Read one uploaded transcript file into normalised text (no ORM).

``read_document`` picks a reader by the file's extension and either returns a
``ReadResult`` or raises ``ImportRefused`` with the one message to show for that
file. Plain text and Markdown are read as they are (Markdown markup is kept; it
is what the researcher wrote); RTF is read here too; Word and OpenDocument are in
``office``, PDF in ``pdf``, VTT and SRT in ``captions``.
"""

import unicodedata
from collections.abc import Callable

from striprtf.striprtf import rtf_to_text

from interviews.importing.captions import read_srt, read_vtt
from interviews.importing.common import (
    Cue,
    ImportRefused,
    ReadResult,
    decode_text,
    tidy_text,
)
from interviews.importing.office import read_docx, read_odt
from interviews.importing.pdf import read_pdf

__all__ = ["Cue", "ImportRefused", "ReadResult", "read_document", "safe_filename"]

MAX_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 255


def read_text(data: bytes) -> ReadResult:
    """Read a plain-text or Markdown file, whatever its encoding says it is."""
    text, warnings = decode_text(data)
    return ReadResult(tidy_text(text), warnings)


def read_rtf(data: bytes) -> ReadResult:
    """Read the text of an RTF file, dropping its formatting."""
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ImportRefused("corrupt RTF file: it does not start like one")
    try:
        # RTF is 7-bit: anything else arrives escaped and is decoded by the parser.
        text = rtf_to_text(data.decode("latin-1"), errors="replace")
    except Exception:  # noqa: BLE001 (a broken file can fail in any way)
        raise ImportRefused("corrupt RTF file: it could not be read") from None
    # RTF writes characters beyond U+FFFF as two UTF-16 halves; join them.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return ReadResult(tidy_text(text))


READERS: dict[str, Callable[[bytes], ReadResult]] = {
    ".txt": read_text,
    ".md": read_text,
    ".docx": read_docx,
    ".odt": read_odt,
    ".rtf": read_rtf,
    ".pdf": read_pdf,
    ".vtt": read_vtt,
    ".srt": read_srt,
}
_SUPPORTED = ", ".join(list(READERS)[:-1]) + " or " + list(READERS)[-1]


def safe_filename(name: str) -> str:
    """Return the uploaded file name, NFC; refuse one that tries to be a path.

    A name with a folder part is refused rather than cut to its last part, so a
    crafted name never passes quietly: browsers only ever send a bare name.
    """
    name = unicodedata.normalize("NFC", name)
    if "\x00" in name:
        raise ImportRefused("unsafe file name: it contains a NUL character")
    if "/" in name or "\\" in name:
        raise ImportRefused("unsafe file name: it contains a folder path")
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ImportRefused("unsafe file name: it contains control characters")
    stripped = name.strip()
    if not stripped or set(stripped) == {"."}:
        raise ImportRefused("unsafe file name: it has no name")
    if len(stripped) >= 2 and stripped[1] == ":" and stripped[0].isascii():
        raise ImportRefused("unsafe file name: it starts with a drive letter")
    if len(name) > MAX_NAME_LENGTH:
        raise ImportRefused(f"unsafe file name: it is longer than {MAX_NAME_LENGTH} characters")
    return name


def file_type(name: str) -> str:
    """Return the lower-case extension of a file name, with its dot, or ''."""
    stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and stem else ""


def read_document(filename: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> ReadResult:
    """Read an uploaded transcript; raise ``ImportRefused`` if it cannot be imported."""
    extension = file_type(safe_filename(filename))
    reader = READERS.get(extension)
    if reader is None:
        shown = extension or "(no extension)"
        raise ImportRefused(f"unsupported file type {shown}: use {_SUPPORTED}")
    if not data:
        raise ImportRefused("empty file: there is nothing to import")
    if len(data) > max_bytes:
        raise ImportRefused(f"file too large: {_size(len(data))}, the limit is {_size(max_bytes)}")
    result = reader(data)
    if not result.text.strip():
        raise ImportRefused("no text to import: the file holds no text")
    return result


def _size(count: int) -> str:
    megabyte = 1024 * 1024
    if count < megabyte:
        return f"{count:,} bytes"
    if count % megabyte == 0:
        return f"{count // megabyte} MB"
    return f"{count / megabyte:.1f} MB"
