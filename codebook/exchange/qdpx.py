"""REFI-QDA projects (.qdpx): the data structure, its XML writer and a tolerant reader (no ORM).

Positions are Unicode code points, ``[start, end)``, into the plain text of a
source (see shared/refi-qda/NOTES.md). On reading, a source's text is
normalised as coprod stores transcripts (no byte-order mark, ``\\n`` line ends,
NFC) and every position is moved with it, so ``text[start:end]`` still is the
passage the other program coded.
"""

import hashlib
import io
import itertools
import posixpath
import re
import unicodedata
import uuid
import zipfile
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from lxml import etree

NAMESPACE = "urn:QDA-XML:project:1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    "urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
)
# Fixed, so that exporting the same study twice gives the same GUIDs.
GUID_NAMESPACE = uuid.UUID("6f1c1f7e-2b0e-4c57-9d33-6a3b1c0de8a1")
_GUID_NAMESPACE_BYTES = GUID_NAMESPACE.bytes
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_MESSAGES = 20
VARIABLE_TYPES = {"Text", "Boolean", "Integer", "Float", "Date", "DateTime"}
VALUE_ELEMENTS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)


class QdpxError(ValueError):
    """A project that cannot be imported; the message lists every reason."""


@dataclass
class User:
    guid: str
    name: str


@dataclass
class Code:
    guid: str
    name: str
    codable: bool = True
    color: str = ""
    description: str = ""
    note_refs: list[str] = field(default_factory=list)
    children: list["Code"] = field(default_factory=list)


@dataclass
class Variable:
    guid: str
    name: str
    type: str = "Text"


@dataclass
class Case:
    guid: str
    name: str
    description: str = ""
    values: dict[str, str] = field(default_factory=dict)  # variable GUID -> value
    source_refs: list[str] = field(default_factory=list)


@dataclass
class Coding:
    guid: str
    code_guid: str
    creating_user: str = ""
    created: str = ""
    note_refs: list[str] = field(default_factory=list)


@dataclass
class Selection:
    guid: str
    start: int
    end: int
    name: str = ""
    creating_user: str = ""
    created: str = ""
    description: str = ""
    codings: list[Coding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class Source:
    guid: str
    name: str
    text: str
    creating_user: str = ""
    created: str = ""
    description: str = ""
    # A list when read from a file; when exported, may be read from the database as written.
    selections: Iterable[Selection] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # variable GUID -> value


@dataclass
class Note:
    guid: str
    name: str
    text: str
    creating_user: str = ""
    created: str = ""


@dataclass
class Project:
    name: str
    origin: str = "coprod"
    description: str = ""
    users: list[User] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: Iterable[Note] = field(default_factory=list)  # as ``Source.selections``
    note_refs: list[str] = field(default_factory=list)


def make_guid(*parts) -> str:
    """Return a GUID that is the same every time for the same parts.

    ``str(uuid.uuid5(GUID_NAMESPACE, "part:part..."))``, written out: an export makes three
    GUIDs a coding, and building a ``uuid.UUID`` for each was a fifth of its time.
    """
    name = ":".join(str(part) for part in parts).encode()
    digest = bytearray(hashlib.sha1(_GUID_NAMESPACE_BYTES + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def normalise_guid(guid: str) -> str:
    """Strip braces and fold case, as GUIDs from other programs come either way."""
    return guid.strip().strip("{}").lower()


# Writing ------------------------------------------------------------------


# Characters XML 1.0 cannot hold. A form feed or vertical tab (text pasted from a PDF
# or a word processor) was a line break to its writer; the other control characters
# carry nothing a reader would miss. Without this, one such character in a memo made
# the whole export fail.
_NOT_IN_XML = {
    **{code: None for code in range(0x20) if chr(code) not in "\t\n\r"},
    0x0B: "\n",
    0x0C: "\n",
    0xFFFE: None,
    0xFFFF: None,
}


# Looked for before translating: str.translate with a mapping costs microseconds a call,
# and an export passes a million attribute values through here.
_FIND_NOT_IN_XML = re.compile("[" + "".join(f"\\u{code:04x}" for code in _NOT_IN_XML) + "]")


def xml_safe(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 cannot hold (line breaks kept)."""
    return text.translate(_NOT_IN_XML) if _FIND_NOT_IN_XML.search(text) else text


class _XmlWriter:
    """Write elements one at a time with lxml's incremental writer, indented as pretty_print.

    Nothing but the open elements is held: an export writes a source's selections as
    they are read from the database. Elements are opened with ``xmlfile.element`` rather
    than built and written as trees, which would each repeat the namespace declaration.
    Text goes through ``xml_safe``: lxml refuses characters that XML 1.0 cannot hold.
    """

    def __init__(self, xf) -> None:
        self._xf = xf
        self._depth = 0
        self._has_children = [False]

    @contextmanager
    def element(self, tag: str, attributes: dict | None = None, **kwargs) -> Iterator[None]:
        self._has_children[-1] = True
        if self._depth:  # nothing may be written beside the root
            self._xf.write("\n" + "  " * self._depth)
        attributes = {
            key: xml_safe(str(value))
            for key, value in (attributes or {}).items()
            if value not in (None, "")
        }
        with self._xf.element(f"{{{NAMESPACE}}}{tag}", attributes, **kwargs):
            self._depth += 1
            self._has_children.append(False)
            yield
            self._depth -= 1
            if self._has_children.pop():
                self._xf.write("\n" + "  " * self._depth)

    def leaf(self, tag: str, attributes: dict | None = None, text: str | None = None) -> None:
        with self.element(tag, attributes):
            if text:
                self._xf.write(xml_safe(text))

    def note_refs(self, guids: Iterable[str]) -> None:
        for guid in guids:
            self.leaf("NoteRef", {"targetGUID": guid})


def _write_code(out: _XmlWriter, code: Code) -> None:
    attributes = {
        "guid": code.guid,
        "name": code.name,
        "isCodable": "true" if code.codable else "false",
        "color": code.color,
    }
    with out.element("Code", attributes):
        if code.description:
            out.leaf("Description", text=code.description)
        out.note_refs(code.note_refs)
        for child in code.children:
            _write_code(out, child)


def source_file_name(source: Source) -> str:
    return f"{source.guid}.txt"


def write_project_xml(project: Project, output: IO[bytes]) -> None:
    """Write ``project.qde`` for the project to ``output``, elements in the schema's order.

    Sources' selections and the notes may be lazy iterables: each is gone through once.
    """
    with etree.xmlfile(output, encoding="utf-8") as xf:
        xf.write_declaration()
        out = _XmlWriter(xf)
        attributes = {
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
            "name": project.name,
            "origin": project.origin,
        }
        with out.element("Project", attributes, nsmap={None: NAMESPACE, "xsi": XSI}):
            _write_project_parts(out, project)


def _write_project_parts(out: _XmlWriter, project: Project) -> None:
    if project.users:
        with out.element("Users"):
            for user in project.users:
                out.leaf("User", {"guid": user.guid, "name": user.name})
    if project.codes:
        with out.element("CodeBook"), out.element("Codes"):
            for code in project.codes:
                _write_code(out, code)
    if project.variables:
        with out.element("Variables"):
            for variable in project.variables:
                out.leaf(
                    "Variable",
                    {"guid": variable.guid, "name": variable.name, "typeOfVariable": variable.type},
                )
    types = {variable.guid: variable.type for variable in project.variables}
    if project.cases:
        with out.element("Cases"):
            for case in project.cases:
                _write_case(out, case, types)
    if project.sources:
        with out.element("Sources"):
            for source in project.sources:
                _write_source(out, source, types)
    notes = iter(project.notes)
    first_note = next(notes, None)  # the schema wants no empty <Notes>
    if first_note is not None:
        with out.element("Notes"):
            for note in itertools.chain([first_note], notes):
                attributes = {
                    "guid": note.guid,
                    "name": note.name,
                    "creatingUser": note.creating_user,
                    "creationDateTime": note.created,
                }
                with out.element("Note", attributes):
                    out.leaf("PlainTextContent", text=note.text)
    if project.description:
        out.leaf("Description", text=project.description)
    out.note_refs(project.note_refs)


def _write_values(out: _XmlWriter, values: dict[str, str], types: dict[str, str]) -> None:
    """Write each value in the element of its variable's type (``DateValue`` for a Date)."""
    for variable_guid, value in values.items():
        with out.element("VariableValue"):
            out.leaf("VariableRef", {"targetGUID": variable_guid})
            out.leaf(f"{types.get(variable_guid, 'Text')}Value", text=value)


def _write_case(out: _XmlWriter, case: Case, types: dict[str, str]) -> None:
    with out.element("Case", {"guid": case.guid, "name": case.name}):
        if case.description:
            out.leaf("Description", text=case.description)
        _write_values(out, case.values, types)
        for source_guid in case.source_refs:
            out.leaf("SourceRef", {"targetGUID": source_guid})


def _write_source(out: _XmlWriter, source: Source, types: dict[str, str]) -> None:
    attributes = {
        "guid": source.guid,
        "name": source.name,
        "plainTextPath": f"internal://{source_file_name(source)}",
        "creatingUser": source.creating_user,
        "creationDateTime": source.created,
    }
    with out.element("TextSource", attributes):
        if source.description:
            out.leaf("Description", text=source.description)
        for selection in source.selections:
            _write_selection(out, selection)
        out.note_refs(source.note_refs)
        _write_values(out, source.values, types)


def _write_selection(out: _XmlWriter, selection: Selection) -> None:
    attributes = {
        "guid": selection.guid,
        "name": selection.name,
        "startPosition": selection.start,
        "endPosition": selection.end,
        "creatingUser": selection.creating_user,
        "creationDateTime": selection.created,
    }
    with out.element("PlainTextSelection", attributes):
        if selection.description:
            out.leaf("Description", text=selection.description)
        for coding in selection.codings:
            attributes = {
                "guid": coding.guid,
                "creatingUser": coding.creating_user,
                "creationDateTime": coding.created,
            }
            with out.element("Coding", attributes):
                out.leaf("CodeRef", {"targetGUID": coding.code_guid})
                out.note_refs(coding.note_refs)
        out.note_refs(selection.note_refs)


def write_qdpx(project: Project, output: IO[bytes]) -> None:
    """Write the project as a .qdpx archive: project.qde and sources/<guid>.txt (UTF-8).

    ``project.qde`` is compressed as it is written, so its size does not sit in memory.
    """
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("project.qde", "w", force_zip64=True) as member:
            write_project_xml(project, member)
        for source in project.sources:
            archive.writestr(f"sources/{source_file_name(source)}", source.text.encode("utf-8"))


# Reading ------------------------------------------------------------------


@dataclass
class ReadResult:
    project: Project
    warnings: list[str]


def read_qdpx(path_or_file, *, allow_missing_sources: bool = False) -> ReadResult:
    """Read a .qdpx archive, or a bare ``.qde`` file with its sources beside it."""
    if isinstance(path_or_file, str | Path) and str(path_or_file).lower().endswith(".qde"):
        return _read_folder(Path(path_or_file), allow_missing_sources)
    try:
        archive = zipfile.ZipFile(path_or_file)
    except (zipfile.BadZipFile, OSError) as error:
        raise QdpxError(
            f"This is not a .qdpx archive (not a readable zip file: {error})."
        ) from error
    with archive:
        members = _checked_members(archive)
        qde = [name for name in members if name.lower().endswith(".qde")]
        if len(qde) != 1:
            raise QdpxError(
                "A .qdpx archive must hold exactly one project file (.qde); "
                f"this one holds {len(qde)}."
            )
        sources = {
            posixpath.basename(name).lower(): name
            for name in members
            if "/" in name and name.split("/", 1)[0].lower() == "sources"
        }

        def open_source(name: str) -> bytes | None:
            member = sources.get(name.lower())
            return _read_member(archive, member) if member else None

        return parse_project(_read_member(archive, qde[0]), open_source, allow_missing_sources)


def _checked_members(archive: zipfile.ZipFile) -> list[str]:
    names, total = [], 0
    for info in archive.infolist():
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or "\\" in name or ".." in parts or ":" in parts[0]:
            raise QdpxError(f"The archive holds a file with an unsafe path: “{name}”.")
        if info.file_size > MAX_MEMBER_BYTES:
            raise QdpxError(
                f"“{name}” is {info.file_size} bytes, more than the {MAX_MEMBER_BYTES} allowed."
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise QdpxError(f"The archive unpacks to more than {MAX_TOTAL_BYTES} bytes.")
        if not info.is_dir():
            names.append(name)
    return names


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    # The size in the directory can lie; never read more than the limit.
    with archive.open(name) as member:
        data = member.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise QdpxError(f"“{name}” unpacks to more than {MAX_MEMBER_BYTES} bytes.")
    return data


def _read_folder(qde: Path, allow_missing_sources: bool) -> ReadResult:
    folder = qde.parent.resolve()
    sources_dirs = [d for d in folder.iterdir() if d.is_dir() and d.name.lower() == "sources"]

    def open_source(name: str) -> bytes | None:
        for directory in [*sources_dirs, folder]:
            for candidate in directory.iterdir():
                if candidate.name.lower() == name.lower() and candidate.is_file():
                    return candidate.read_bytes()
        return None

    try:
        data = qde.read_bytes()
    except OSError as error:
        raise QdpxError(f"Cannot read {qde}: {error.strerror}.") from error
    return parse_project(data, open_source, allow_missing_sources)


def _local(node) -> str:
    return etree.QName(node).localname


def _kids(node, name: str | None = None) -> list:
    return [
        child
        for child in node.iterchildren(tag=etree.Element)
        if name is None or _local(child) == name
    ]


def _text_of(node, name: str) -> str:
    found = _kids(node, name)
    return (found[0].text or "") if found else ""


def _refs(node, name: str = "NoteRef") -> list[str]:
    return [normalise_guid(ref.get("targetGUID", "")) for ref in _kids(node, name)]


def internal_name(path: str) -> str | None:
    """Return the file name of an ``internal://`` path (also ``internal://sources/x``)."""
    if not path.lower().startswith("internal://"):
        return None
    return posixpath.basename(path[len("internal://") :])


def normalised_positions(raw: str, lines_count_once: bool) -> tuple[str, int, Callable[[int], int]]:
    """Return the text as coprod stores it, the length positions count in, and a function
    moving a position into the stored text.

    ``lines_count_once`` is for programs (ATLAS.ti) that store ``\\r\\n`` but
    count each line break as one character.
    """
    base = raw.removeprefix("\ufeff")
    if lines_count_once:
        base = base.replace("\r\n", "\n")
    removed = [match.start() + 1 for match in re.finditer("\r\n", base)]
    lines = base.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", lines)
    composed = text != lines

    def move(position: int) -> int:
        position -= bisect_left(removed, position)
        return len(unicodedata.normalize("NFC", lines[:position])) if composed else position

    return text, len(base), move


def parse_project(
    data: bytes,
    open_source: Callable[[str], bytes | None],
    allow_missing_sources: bool = False,
) -> ReadResult:
    """Parse ``project.qde``; refuse it with every problem listed, or return it with warnings."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise QdpxError(f"The project file is not well-formed XML: {error}.") from error
    if _local(root) != "Project":
        raise QdpxError(f"The project file's root is <{_local(root)}>, not <Project>.")
    errors: list[str] = []
    warnings: list[str] = []
    origin = root.get("origin", "")
    project = Project(name=root.get("name", "").strip(), origin=origin)
    project.description = _text_of(root, "Description")
    project.note_refs = _refs(root)
    for users in _kids(root, "Users"):
        for node in _kids(users, "User"):
            guid = normalise_guid(node.get("guid", ""))
            project.users.append(User(guid, (node.get("name") or node.get("id") or "").strip()))
    code_guids: set[str] = set()
    for codebook in _kids(root, "CodeBook"):
        for codes in _kids(codebook, "Codes"):
            project.codes = [_read_code(node, code_guids) for node in _kids(codes, "Code")]
    for variables in _kids(root, "Variables"):
        for node in _kids(variables, "Variable"):
            project.variables.append(
                Variable(
                    normalise_guid(node.get("guid", "")),
                    node.get("name", ""),
                    node.get("typeOfVariable", "Text"),
                )
            )
    for cases in _kids(root, "Cases"):
        for node in _kids(cases, "Case"):
            project.cases.append(_read_case(node))
    lines_count_once = origin.lower().startswith("atlas.ti")
    for sources in _kids(root, "Sources"):
        for node in _kids(sources):
            if _local(node) != "TextSource":
                warnings.append(
                    f"“{node.get('name', node.get('guid'))}” is a {_local(node)}: coprod holds "
                    "text transcripts only, so it and its codings were not imported."
                )
                continue
            source = _read_source(node, open_source, lines_count_once, code_guids, errors)
            if source is None:
                message = f"The text of source “{node.get('name', node.get('guid'))}” is missing"
                if allow_missing_sources:
                    selections = len(_kids(node, "PlainTextSelection"))
                    warnings.append(
                        f"{message}: it was not imported"
                        + (f", nor its {selections} selection(s)." if selections else ".")
                    )
                else:
                    errors.append(f"{message} from the archive.")
                continue
            project.sources.append(source)
    # A note whose file is missing keeps the text its owner repeats in a
    # Description (f4analyse and ATLAS.ti put memo text there).
    described = {}
    for node in root.iter(tag=etree.Element):
        if description := _text_of(node, "Description"):
            for guid in _refs(node):
                described.setdefault(guid, description)
    for notes in _kids(root, "Notes"):
        for node in _kids(notes, "Note"):
            project.notes.append(_read_note(node, open_source, described, warnings))
    for kind in ("Links", "Sets", "Graphs"):
        for holder in _kids(root, kind):
            if count := len(_kids(holder)):
                warnings.append(f"{count} {kind.lower()[:-1]}(s) not imported: coprod has none.")
    if errors:
        shown = errors[:MAX_MESSAGES]
        more = len(errors) - len(shown)
        raise QdpxError(
            "The project was not imported:\n- "
            + "\n- ".join(shown)
            + (f"\n- and {more} more problem(s)." if more else "")
        )
    return ReadResult(project, warnings)


def _read_code(node, seen: set[str]) -> Code:
    guid = normalise_guid(node.get("guid", ""))
    seen.add(guid)
    return Code(
        guid=guid,
        name=node.get("name", ""),
        codable=node.get("isCodable", "true").strip().lower() in ("true", "1"),
        color=node.get("color", ""),
        description=_text_of(node, "Description"),
        note_refs=_refs(node),
        children=[_read_code(child, seen) for child in _kids(node, "Code")],
    )


def _read_case(node) -> Case:
    case = Case(normalise_guid(node.get("guid", "")), node.get("name", ""))
    case.description = _text_of(node, "Description")
    case.values = _read_values(node)
    case.source_refs = _refs(node, "SourceRef")
    return case


def _read_values(node) -> dict[str, str]:
    """Return a case's or source's variable values: variable GUID -> value as text."""
    found = {}
    for holder in _kids(node, "VariableValue"):
        refs = _refs(holder, "VariableRef")
        values = [child for child in _kids(holder) if _local(child) in VALUE_ELEMENTS]
        if refs and values:
            found[refs[0]] = (values[0].text or "").strip()
    return found


def _read_source(node, open_source, lines_count_once, code_guids, errors) -> Source | None:
    name = node.get("name") or node.get("guid", "")
    inline = _kids(node, "PlainTextContent")
    if inline:
        raw = inline[0].text or ""
    else:
        file_name = internal_name(node.get("plainTextPath", ""))
        data = open_source(file_name) if file_name else None
        if data is None:
            return None
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as error:
            errors.append(f"The text of source “{name}” is not UTF-8 ({error.reason}).")
            return Source(normalise_guid(node.get("guid", "")), name, "")
    text, length, move = normalised_positions(raw, lines_count_once)
    source = Source(
        guid=normalise_guid(node.get("guid", "")),
        name=name,
        text=text,
        creating_user=normalise_guid(node.get("creatingUser", "")),
        created=node.get("creationDateTime", ""),
        description=_text_of(node, "Description"),
        note_refs=_refs(node),
        values=_read_values(node),
    )
    for selection_node in _kids(node, "PlainTextSelection"):
        label = selection_node.get("name") or selection_node.get("guid", "")
        try:
            start = int(selection_node.get("startPosition", ""))
            end = int(selection_node.get("endPosition", ""))
        except ValueError:
            errors.append(f"Selection “{label}” in “{name}” has no numeric positions.")
            continue
        if not 0 <= start <= end <= length:
            errors.append(
                f"Selection “{label}” in “{name}” runs from {start} to {end}, "
                f"outside the text (0 to {length})."
            )
            continue
        selection = Selection(
            guid=normalise_guid(selection_node.get("guid", "")),
            start=move(start),
            end=move(end),
            name=selection_node.get("name", ""),
            creating_user=normalise_guid(selection_node.get("creatingUser", "")),
            created=selection_node.get("creationDateTime", ""),
            description=_text_of(selection_node, "Description"),
            note_refs=_refs(selection_node),
        )
        for coding_node in _kids(selection_node, "Coding"):
            refs = _refs(coding_node, "CodeRef")
            if not refs or refs[0] not in code_guids:
                errors.append(
                    f"A coding of selection “{label}” in “{name}” refers to a code that is not "
                    f"in the codebook ({refs[0] if refs else 'no CodeRef'})."
                )
                continue
            selection.codings.append(
                Coding(
                    guid=normalise_guid(coding_node.get("guid", "")),
                    code_guid=refs[0],
                    creating_user=normalise_guid(coding_node.get("creatingUser", "")),
                    created=coding_node.get("creationDateTime", ""),
                    note_refs=_refs(coding_node),
                )
            )
        source.selections.append(selection)
    return source


def _read_note(node, open_source, described, warnings) -> Note:
    guid = normalise_guid(node.get("guid", ""))
    name = node.get("name", "")
    inline = _kids(node, "PlainTextContent")
    text = normalise_note(inline[0].text or "") if inline else ""
    if not inline:
        file_name = internal_name(node.get("plainTextPath", ""))
        data = open_source(file_name) if file_name else None
        if data is not None:
            text = normalise_note(data.decode("utf-8", errors="replace"))
        elif guid in described:
            text = described[guid]
            warnings.append(
                f"The file of note “{name or guid}” is missing; its description was used instead."
            )
        else:
            warnings.append(f"The text of note “{name or guid}” is missing from the archive.")
    return Note(
        guid,
        name,
        text,
        normalise_guid(node.get("creatingUser", "")),
        node.get("creationDateTime", ""),
    )


def normalise_note(text: str) -> str:
    return unicodedata.normalize(
        "NFC", text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    )


def qdpx_bytes(project: Project) -> bytes:
    """Return the .qdpx archive of the project as bytes."""
    output = io.BytesIO()
    write_qdpx(project, output)
    return output.getvalue()
