"""Write and read REFI-QDA codebooks (.qdc, namespace urn:QDA-XML:codebook:1.0). Pure.

The .qdc format knows a code's name, colour, whether it can be applied, and one free-text
Description. coprod writes the rest of the structured entry into that Description under
bracketed headings ("[Inclusion criteria]"), which other programs show as text and
coprod reads back into fields.
"""

import re
import textwrap
import uuid
from typing import Any

from lxml import etree

from codebook.exchange.entries import (
    DEFAULT_COLOUR,
    CodebookFileError,
    blank_entry,
    order_entries,
)
from codebook.exchange.qdpx import xml_safe

NAMESPACE = "urn:QDA-XML:codebook:1.0"
# Stable GUIDs: the same path gives the same GUID, so a round trip is identical.
GUID_NAMESPACE = uuid.UUID("6f1d3c1e-7a55-4c1b-9a36-2f0c6d0b7e11")
SECTIONS = [
    ("inclusion", "Inclusion criteria"),
    ("exclusion", "Exclusion criteria"),
    ("example", "Typical example"),
    ("counter_example", "Counter-example"),
    ("indicator_terms", "Indicator terms"),
    ("notes", "Notes"),
    ("shortcut", "Shortcut"),
]
FIELD_OF_HEADING = {heading.casefold(): field for field, heading in SECTIONS}
HEADING = re.compile(r"^\[([^\]\n]+)\]$", re.MULTILINE)
# A line of the user's own that looks like a heading, with any backslashes before it: one
# more backslash is written, and one taken off when read, so such a line comes back as typed.
HEADING_LIKE = re.compile(r"^(\\*)(\[[^\]\n]+\])$", re.MULTILINE)
ESCAPED_HEADING = re.compile(r"^\\(\\*\[[^\]\n]+\])$", re.MULTILINE)
GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$")
COLOUR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
NOT_A_GUID = "\x00not-a-guid:"


def guid_for(path: str) -> str:
    """Return the GUID coprod gives the code at ``path``."""
    return str(uuid.uuid5(GUID_NAMESPACE, path))


def describe(entry: dict[str, Any]) -> str:
    """Return the Description text that carries the entry's fields beyond the definition."""
    definition = _escaped(str(entry.get("definition") or "").strip())
    parts = [definition] if definition else []
    for field, heading in SECTIONS:
        value = _escaped(str(entry.get(field) or "").strip())
        if value:
            parts.append(f"[{heading}]\n{value}")
    return "\n\n".join(parts)


def _escaped(text: str) -> str:
    return HEADING_LIKE.sub(r"\\\1\2", text)


def _unescaped(text: str) -> str:
    return ESCAPED_HEADING.sub(r"\1", text)


def parse_description(text: str) -> dict[str, str]:
    """Split a Description into the definition and the sections coprod wrote."""
    text = textwrap.dedent(text.replace("\r\n", "\n")).strip()
    fields: dict[str, str] = {}
    pieces = HEADING.split(text)
    definition, rest = pieces[0], pieces[1:]
    for heading, body in zip(rest[::2], rest[1::2], strict=True):
        field = FIELD_OF_HEADING.get(heading.strip().casefold())
        if field is None:  # someone else's bracketed line: keep it as text
            definition += f"[{heading}]{body}"
        elif field in fields:  # a heading twice (another tool's file): keep both texts
            fields[field] += "\n\n" + _unescaped(body.strip())
        else:
            fields[field] = _unescaped(body.strip())
    fields["definition"] = _unescaped(definition.strip())
    return fields


def write_qdc(entries: list[dict[str, Any]], origin: str = "coprod") -> bytes:
    """Return the .qdc XML of the entries (in tree order), valid against Codebook.xsd."""
    root = etree.Element(f"{{{NAMESPACE}}}CodeBook", nsmap={None: NAMESPACE}, origin=origin)
    codes = etree.SubElement(root, f"{{{NAMESPACE}}}Codes")
    element_of: dict[str, Any] = {}
    for entry in entries:
        parent = element_of.get(entry["parent_path"], codes)
        element = etree.SubElement(
            parent,
            f"{{{NAMESPACE}}}Code",
            guid=entry.get("guid") or guid_for(entry["path"]),
            name=xml_safe(entry["name"]),
            isCodable="false" if entry.get("grouping_only") else "true",
            color=entry.get("colour") or DEFAULT_COLOUR,
        )
        description = describe(entry)
        if description:
            etree.SubElement(element, f"{{{NAMESPACE}}}Description").text = xml_safe(description)
        element_of[entry["path"]] = element
    if not entries:  # the schema wants at least one Code: an empty codebook cannot be written
        raise CodebookFileError("The codebook has no codes to export.")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_qdc(data: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the entries of a .qdc file (parents first) and warnings about what was not read.

    Tolerant: a missing namespace, non-GUID ids, bad colours and unknown elements or
    attributes are warnings; broken XML or a file without codes is an error.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise CodebookFileError(f"The file is not well-formed XML: {error}.") from error
    warnings: list[str] = []
    if etree.QName(root).localname != "CodeBook":
        raise CodebookFileError(
            f"The file's root element is “{etree.QName(root).localname}”, not a REFI-QDA CodeBook."
        )
    if etree.QName(root).namespace != NAMESPACE:
        warnings.append(f"The file does not use the REFI-QDA namespace {NAMESPACE}; read anyway.")
    entries: list[dict[str, Any]] = []
    for child in root:
        name = etree.QName(child).localname
        if name == "Codes":
            for code in child:
                _read_code(code, "", entries, warnings)
        elif name == "Sets":
            warnings.append(f"{len(child)} code sets were not imported (coprod has no sets).")
        else:
            warnings.append(f"The element <{name}> was not read.")
    if not entries:
        raise CodebookFileError("The file has no codes.")
    bad_ids = [w.removeprefix(NOT_A_GUID) for w in warnings if w.startswith(NOT_A_GUID)]
    if bad_ids:
        shown = ", ".join(f"“{guid}”" for guid in bad_ids[:5]) + (", …" if len(bad_ids) > 5 else "")
        warnings = [w for w in warnings if not w.startswith(NOT_A_GUID)]
        warnings.append(f"{len(bad_ids)} codes have ids that are not GUIDs ({shown}); read anyway.")
    return order_entries(entries), warnings


def _read_code(element, parent_path: str, entries: list, warnings: list[str]) -> None:
    if etree.QName(element).localname != "Code":
        warnings.append(f"The element <{etree.QName(element).localname}> was not read.")
        return
    raw_name = " ".join((element.get("name") or "").split())
    if not raw_name:
        warnings.append(f"A code without a name (under “{parent_path or 'the top'}”) was skipped.")
        return
    name = raw_name.replace("/", "∕")
    if name != raw_name:
        warnings.append(f"“{raw_name}”: “/” separates paths in coprod, so it became “∕”.")
    name = _unique_name(name, parent_path, entries, warnings)
    path = f"{parent_path}/{name}" if parent_path else name
    entry = blank_entry(path, parent_path, name)
    guid = element.get("guid") or ""
    if not GUID.match(guid):
        warnings.append(f"{NOT_A_GUID}{guid}")
    codable = (element.get("isCodable") or "").strip().lower()
    if codable not in ("true", "false", "1", "0"):
        warnings.append(f"“{path}”: isCodable is missing or unclear; the code can be applied.")
    entry["grouping_only"] = codable in ("false", "0")
    colour = (element.get("color") or "").strip()
    if colour and COLOUR.match(colour):
        entry["colour"] = _six_digits(colour.lower())
    elif colour:
        warnings.append(f"“{path}”: the colour “{colour}” was not understood.")
    extra = set(element.attrib) - {"guid", "name", "isCodable", "color"}
    if extra:
        warnings.append(f"“{path}”: the attributes {', '.join(sorted(extra))} were not read.")
    entries.append(entry)
    for child in element:
        local = etree.QName(child).localname
        if local == "Description":
            entry.update(parse_description(child.text or ""))
        elif local != "Code":
            warnings.append(f"“{path}”: the element <{local}> was not read.")
    for child in element:
        if etree.QName(child).localname == "Code":
            _read_code(child, path, entries, warnings)


def _unique_name(name: str, parent_path: str, entries: list, warnings: list[str]) -> str:
    taken = {e["name"].casefold() for e in entries if e["parent_path"] == parent_path}
    if name.casefold() not in taken:
        return name
    number = 2
    while f"{name} ({number})".casefold() in taken:
        number += 1
    warnings.append(
        f"Two codes are named “{name}” in one place; the second became “{name} ({number})”."
    )
    return f"{name} ({number})"


def _six_digits(colour: str) -> str:
    return colour if len(colour) == 7 else "#" + "".join(letter * 2 for letter in colour[1:])
