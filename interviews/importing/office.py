"""Read Word (.docx) and OpenDocument (.odt) transcripts.

Both are zip archives, checked before anything is unpacked: an archive whose
entries declare more than 200 MB, or that unpacks to over 100 times its packed
size (past 1 MB, where it starts to matter), is refused as a likely zip bomb.
Python's zipfile never inflates an entry past its declared size, so the check
on declared sizes holds.

Paragraphs become lines, in document order. Tables are read in place, row by
row: one line per row, cells separated by a tab, which turn detection reads as
"Name<TAB>text" (the common speaker | text transcript table). Headers, footers,
footnotes, comments, text boxes and deleted tracked changes are left out;
inserted tracked changes are kept.

A Word transcript may name each speaker in bold at the start of the paragraph,
without a colon ("**Interviewer** What did..."). Only when the whole document is
laid out so (``_bold_speakers``) is the white space after each such name written
as a tab, which turn detection reads as a label, now and after a correction.
"""

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.enum.style import WD_STYLE_TYPE
from lxml import etree
from odf.opendocument import load as load_odf

from interviews.importing.common import ImportRefused, ReadResult, tidy_text
from interviews.importing.turns import looks_like_speaker, parse_line

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
_RATIO_APPLIES_FROM = 1024 * 1024
MAX_ENTRIES = 10_000

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_archive(
    data: bytes,
    kind: str,
    *,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_ratio: float = MAX_RATIO,
) -> zipfile.ZipFile:
    """Open a document's zip archive, refusing what is not one or would unpack too far."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # noqa: BLE001 (a broken file can fail in any way)
        raise ImportRefused(_not_a_zip_message(data, kind)) from None
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ImportRefused(f"suspicious {kind} file: it holds {len(entries):,} parts")
    unpacked = sum(entry.file_size for entry in entries)
    packed = max(1, sum(entry.compress_size for entry in entries))
    megabyte = 1024 * 1024
    if unpacked > max_unpacked:
        raise ImportRefused(
            f"suspicious {kind} file: it would unpack to {unpacked // megabyte:,} MB, "
            f"over the {max_unpacked // megabyte:,} MB limit, so it was not opened"
        )
    if unpacked > _RATIO_APPLIES_FROM and unpacked / packed > max_ratio:
        raise ImportRefused(
            f"suspicious {kind} file: it would unpack to {unpacked / packed:,.0f} times "
            "its size (a zip bomb?), so it was not opened"
        )
    return archive


def _not_a_zip_message(data: bytes, kind: str) -> str:
    if data.startswith(_OLE_SIGNATURE):
        # Office saves a password-protected document as an OLE file whose
        # streams are EncryptionInfo and EncryptedPackage.
        if "EncryptedPackage".encode("utf-16-le") in data:
            return f"password-protected {kind} file: remove the password and upload it again"
        if kind == ".docx":
            return "this .docx file is an old Word .doc: save it as .docx and upload it again"
    return f"corrupt {kind} file: it could not be opened (try saving it again)"


# --- Word -----------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RUNS = etree.XPath(
    ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent"
    " or ancestor::*[local-name()='AlternateContent'])]",
    namespaces={"w": _W},
)


def read_docx(data: bytes) -> ReadResult:
    """Read a Word document's paragraphs, and its tables row by row, in order."""
    archive = open_archive(data, ".docx")
    archive.close()
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 (a broken file can fail in any way)
        raise ImportRefused(
            "corrupt .docx file: Word's contents could not be read (try saving it again)"
        ) from None
    bold_styles = _bold_character_styles(document)
    lines, tables, leads = _docx_lines(document.element.body, bold_styles)
    warnings = _table_warnings(tables)
    speakers = _bold_speakers(lines, leads)
    for index in speakers:
        line, lead = lines[index], leads[index]
        lines[index] = line[:lead].rstrip() + "\t" + line[lead:].lstrip()
    if speakers:
        names = ", ".join(dict.fromkeys(speakers.values()))
        warnings.append(
            f"read the bold names starting paragraphs as speakers ({names}): check the turns"
        )
    return ReadResult(tidy_text("\n".join(lines)), warnings)


def _table_warnings(tables: int) -> list[str]:
    if not tables:
        return []
    return [f"read {tables} table(s) row by row, cells separated by tabs: check the turns"]


def _docx_lines(container, bold_styles: frozenset = frozenset()) -> tuple[list[str], int, dict]:
    """Return the lines, the number of tables, and the bold lead of each paragraph that has one.

    A lead is given by line index as the length of the paragraph's text up to the end
    of its first bold words, when other words follow them.
    """
    lines: list[str] = []
    tables = 0
    leads: dict[int, int] = {}
    for element in _docx_blocks(container):
        if element.tag == f"{{{_W}}}p":
            text, lead = _docx_paragraph_lead(element, bold_styles)
            if lead:
                leads[len(lines)] = lead
            lines.append(text)
        else:
            tables += 1
            for row in element.iterchildren(f"{{{_W}}}tr"):
                cells = [
                    " ".join(_docx_paragraph_text(p) for p in _docx_blocks(cell)).strip()
                    for cell in row.iterchildren(f"{{{_W}}}tc")
                ]
                while cells and not cells[-1]:
                    cells.pop()
                lines.append("\t".join(cells))
    return lines, tables, leads


def _docx_blocks(container) -> Iterator:
    """Yield the paragraphs and tables of a body or cell, looking into content controls."""
    for child in container.iterchildren():
        if child.tag in (f"{{{_W}}}p", f"{{{_W}}}tbl"):
            yield child
        elif child.tag == f"{{{_W}}}sdt":
            for content in child.iterchildren(f"{{{_W}}}sdtContent"):
                yield from _docx_blocks(content)


def _docx_paragraph_text(paragraph) -> str:
    return "".join(run.text for run in _RUNS(paragraph))


def _docx_paragraph_lead(paragraph, bold_styles: frozenset) -> tuple[str, int]:
    """Return the paragraph's text and where its leading bold words end (0: none).

    The lead is the runs before the first plain run with words, up to its last bold
    run; it counts only when words follow it, so a bold heading has none, and only
    when it ends between words.
    """
    texts, length, lead, in_lead = [], 0, 0, True
    for run in _RUNS(paragraph):
        text = run.text
        texts.append(text)
        length += len(text)
        if not in_lead:
            continue
        if _is_bold(run, bold_styles):
            lead = length
        elif text.strip():
            in_lead = False
    text = "".join(texts)
    if not text[:lead].strip() or not text[lead:].strip():
        return text, 0
    if text[lead - 1].isalnum() and text[lead].isalnum():
        return text, 0  # bold stops inside a word: not a name set apart
    return text, lead


_B = f"{{{_W}}}b"
_RUN_PROPERTIES = f"{{{_W}}}rPr"
_RUN_STYLE = f"{{{_W}}}rStyle"
_VAL = f"{{{_W}}}val"


def _is_bold(run, bold_styles: frozenset) -> bool:
    properties = run.find(_RUN_PROPERTIES)
    if properties is None:
        return False
    bold = properties.find(_B)
    if bold is not None:
        return bold.get(_VAL, "true").lower() not in ("0", "false", "off")
    style = properties.find(_RUN_STYLE)
    return style is not None and style.get(_VAL) in bold_styles


def _bold_character_styles(document) -> frozenset:
    """The ids of the document's character styles that make text bold ("Strong")."""
    bold = set()
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.CHARACTER:
            continue
        base, seen = style, 0
        while base is not None and base.font.bold is None and seen < 10:
            base, seen = base.base_style, seen + 1
        if base is not None and base.font.bold:
            bold.add(style.style_id)
    return frozenset(bold)


def _bold_speakers(lines: list[str], leads: dict[int, int]) -> dict[int, str]:
    """Return the speaker each paragraph's bold lead names, if the document is laid out so.

    As conservative as turn detection's "name alone above every paragraph": no line
    has a label already; every bold lead followed by words looks like a speaker's name
    (turns.looks_like_speaker, so at most five words); at least two names, each
    starting two paragraphs or more; and from the first name on, at least half of the
    paragraphs start with one (the others continue a turn). Otherwise bold is emphasis.
    """
    if not leads or any(parse_line(line).labelled for line in "\n".join(lines).split("\n")):
        return {}
    names: dict[int, str] = {}
    for index, lead in leads.items():
        name = lines[index][:lead]
        if "\n" in name or not looks_like_speaker(name):
            return {}
        names[index] = " ".join(name.split())
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    if len(counts) < 2 or min(counts.values()) < 2:
        return {}
    first = min(names)
    paragraphs = sum(1 for line in lines[first:] if line.strip())
    if 2 * len(names) < paragraphs:
        return {}
    return names


# --- OpenDocument ---------------------------------------------------------

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_SKIPPED = {
    (_OFFICE_NS, "annotation"),
    (_TEXT_NS, "note"),
    (_TEXT_NS, "tracked-changes"),
}


def read_odt(data: bytes) -> ReadResult:
    """Read an OpenDocument text's paragraphs and headings, tables row by row."""
    archive = open_archive(data, ".odt")
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        manifest = b""
    except Exception:  # noqa: BLE001 (a broken file can fail in any way)
        raise ImportRefused(
            "corrupt .odt file: it could not be opened (try saving it again)"
        ) from None
    finally:
        archive.close()
    if b"encryption-data" in manifest:
        raise ImportRefused("password-protected .odt file: remove the password and upload it again")
    try:
        document = load_odf(io.BytesIO(data))
        body = document.text
    except Exception:  # noqa: BLE001 (a broken file can fail in any way)
        raise ImportRefused(
            "corrupt .odt file: its contents could not be read (try saving it again)"
        ) from None
    lines: list[str] = []
    tables = _odt_lines(body, lines)
    return ReadResult(tidy_text("\n".join(lines)), _table_warnings(tables))


def _odt_lines(element, lines: list[str]) -> int:
    tables = 0
    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE or child.qname in _SKIPPED:
            continue
        if child.qname in ((_TEXT_NS, "p"), (_TEXT_NS, "h")):
            lines.append(_odt_inline_text(child))
        elif child.qname == (_TABLE_NS, "table"):
            tables += 1
            _odt_table_lines(child, lines)
        else:
            tables += _odt_lines(child, lines)  # sections, lists, list items
    return tables


def _odt_table_lines(table, lines: list[str]) -> None:
    for row in _odt_descendants(table, (_TABLE_NS, "table-row")):
        cells = []
        for cell in row.childNodes:
            if cell.nodeType != cell.ELEMENT_NODE:
                continue
            if cell.qname not in (
                (_TABLE_NS, "table-cell"),
                (_TABLE_NS, "covered-table-cell"),
            ):
                continue
            cell_lines: list[str] = []
            _odt_lines(cell, cell_lines)
            cells.append(" ".join(cell_lines).strip())
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))


def _odt_descendants(element, qname) -> Iterator:
    for child in element.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname == qname:
            yield child
        elif child.qname != (
            _TABLE_NS,
            "table",
        ):  # rows of nested tables stay in their cell
            yield from _odt_descendants(child, qname)


def _odt_inline_text(element) -> str:
    parts = []
    for child in element.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
        elif child.nodeType != child.ELEMENT_NODE or child.qname in _SKIPPED:
            continue
        elif child.qname == (_TEXT_NS, "s"):
            parts.append(" " * int(child.getAttribute("c") or 1))
        elif child.qname == (_TEXT_NS, "tab"):
            parts.append("\t")
        elif child.qname == (_TEXT_NS, "line-break"):
            parts.append("\n")
        else:
            parts.append(_odt_inline_text(child))
    return "".join(parts)
