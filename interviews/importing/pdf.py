"""Read the text layer of a PDF transcript (pypdf).

Only the text layer is read: a scanned PDF has none, and coprod does no OCR.
Pages are joined with a newline; each printed line becomes a line of text, so a
speaker's wrapped answer becomes several lines that turn detection joins again.
An encrypted PDF that opens without a password (restrictions only) is read.
"""

import io

import pypdf
from pypdf.errors import DependencyError

from interviews.importing.common import ImportRefused, ReadResult, tidy_text

_CORRUPT = "corrupt PDF: it could not be read (try printing it to a new PDF)"
_PROTECTED = "password-protected PDF: remove the password and upload it again"


def read_pdf(data: bytes) -> ReadResult:
    """Read the text of every page; refuse protected, scanned or broken PDFs."""
    if b"%PDF-" not in data[:1024]:
        raise ImportRefused(_CORRUPT)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:  # AES without the cryptography package
                opened = pypdf.PasswordType.NOT_DECRYPTED
            if opened == pypdf.PasswordType.NOT_DECRYPTED:
                raise ImportRefused(_PROTECTED)
        pages = [page.extract_text() or "" for page in reader.pages]
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001 (a broken file can fail in any way)
        raise ImportRefused(_CORRUPT) from None
    if not any(page.strip() for page in pages):
        raise ImportRefused("scanned PDF: no text to import")
    warnings = []
    blank = sum(1 for page in pages if not page.strip())
    if blank:
        warnings.append(f"{blank} of {len(pages)} pages had no text (scanned pages are not read)")
    return ReadResult(tidy_text("\n".join(page.rstrip("\n") for page in pages)), warnings)
