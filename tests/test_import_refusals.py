"""Files that cannot be imported: each is refused with one clear message."""

import contextlib
import io
import random
import re
import zipfile

import pytest
from fpdf import FPDF

from interviews.importing.common import ImportRefused
from interviews.importing.office import open_archive
from interviews.importing.readers import read_document, safe_filename
from tests.test_import_readers import make_docx, make_odt, make_pdf, make_rtf


def refusal(filename, data, **options):
    with pytest.raises(ImportRefused) as error:
        read_document(filename, data, **options)
    return str(error.value)


def make_zip(entries, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def make_ole(*stream_names):
    # Enough of an OLE compound file for what the reader looks at: its
    # signature and the UTF-16 names in its directory.
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in stream_names)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + directory + bytes(512)


def test_it_refuses_an_unsupported_file_type():
    assert refusal("notes.xyz", b"data") == (
        "unsupported file type .xyz: use .txt, .md, .docx, .odt, .rtf, .pdf, .vtt or .srt"
    )


def test_it_refuses_a_file_without_extension():
    assert refusal("README", b"data").startswith("unsupported file type (no extension):")


def test_it_refuses_an_old_doc_by_its_extension():
    assert refusal("old.doc", b"data").startswith("unsupported file type .doc:")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.txt", "unsafe file name: it contains a folder path"),
        ("/etc/passwd.txt", "unsafe file name: it contains a folder path"),
        ("..\\evil.txt", "unsafe file name: it contains a folder path"),
        ("dir\\a.txt", "unsafe file name: it contains a folder path"),
        ("a\x00.txt", "unsafe file name: it contains a NUL character"),
        ("a\nb.txt", "unsafe file name: it contains control characters"),
        ("C:evil.txt", "unsafe file name: it starts with a drive letter"),
        ("..", "unsafe file name: it has no name"),
        ("  ", "unsafe file name: it has no name"),
        ("a" * 252 + ".txt", "unsafe file name: it is longer than 255 characters"),
    ],
)
def test_it_refuses_file_names_with_path_tricks(name, message):
    assert refusal(name, b"P1: hi") == message


def test_it_keeps_an_ordinary_file_name():
    assert safe_filename("Interview 3 – Zoe\u0308 🌞.docx") == "Interview 3 – Zoë 🌞.docx"


def test_it_refuses_an_empty_file():
    assert refusal("a.txt", b"") == "empty file: there is nothing to import"


def test_it_refuses_a_file_holding_only_whitespace():
    assert refusal("a.txt", b" \n\t\n") == "no text to import: the file holds no text"


def test_it_refuses_a_file_over_the_size_limit():
    assert refusal("a.txt", b"x" * 101, max_bytes=100) == (
        "file too large: 101 bytes, the limit is 100 bytes"
    )


def test_it_states_the_default_size_limit_in_megabytes():
    data = b"x" * (20 * 1024 * 1024 + 1)
    assert refusal("a.txt", data) == "file too large: 20.0 MB, the limit is 20 MB"


def test_it_refuses_a_text_file_with_nul_bytes():
    message = refusal("a.txt", "P1: hi".encode("utf-16-le"))
    assert message.startswith("not a text file: it contains NUL bytes")


def test_it_refuses_text_that_lies_about_being_utf8():
    assert refusal("a.txt", b"\xef\xbb\xbfP1: caf\xe9") == (
        "corrupt text file: it says it is UTF-8 but is not"
    )


def test_it_refuses_a_docx_that_is_not_a_zip():
    assert refusal("a.docx", b"PK\x03\x04 not really") == (
        "corrupt .docx file: it could not be opened (try saving it again)"
    )


def test_it_refuses_a_truncated_docx():
    data = make_docx(["P1: hello"])
    assert refusal("a.docx", data[: len(data) // 2]).startswith("corrupt .docx file")


def test_it_refuses_a_zip_that_is_not_a_word_document():
    assert refusal("a.docx", make_zip({"a.txt": "hello"})) == (
        "corrupt .docx file: Word's contents could not be read (try saving it again)"
    )


def test_it_refuses_a_password_protected_docx():
    assert refusal("a.docx", make_ole("EncryptionInfo", "EncryptedPackage")) == (
        "password-protected .docx file: remove the password and upload it again"
    )


def test_it_refuses_an_old_word_file_named_docx():
    assert refusal("a.docx", make_ole("WordDocument")) == (
        "this .docx file is an old Word .doc: save it as .docx and upload it again"
    )


def test_it_refuses_a_docx_without_text():
    assert refusal("a.docx", make_docx(["", "   "])) == (
        "no text to import: the file holds no text"
    )


def test_it_refuses_a_zip_bomb_by_its_ratio_before_unpacking():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as entry,
    ):
        for _ in range(30):
            entry.write(bytes(1024 * 1024))
    assert re.fullmatch(
        r"suspicious \.docx file: it would unpack to [\d,]+ times its size "
        r"\(a zip bomb\?\), so it was not opened",
        refusal("a.docx", out.getvalue()),
    )


def test_it_refuses_a_zip_declaring_too_much_in_total():
    data = make_zip({"content.xml": "x" * 3 * 1024 * 1024}, zipfile.ZIP_STORED)
    with pytest.raises(ImportRefused) as error:
        open_archive(data, ".odt", max_unpacked=2 * 1024 * 1024)
    assert str(error.value) == (
        "suspicious .odt file: it would unpack to 3 MB, over the 2 MB limit, so it was not opened"
    )


def test_it_opens_an_ordinary_docx_archive():
    archive = open_archive(make_docx(["P1: hello"]), ".docx")
    assert "word/document.xml" in archive.namelist()


def test_it_refuses_a_password_protected_odt():
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
        'manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">'
        '<manifest:encryption-data manifest:checksum="x"/></manifest:file-entry>'
        "</manifest:manifest>"
    )
    data = make_zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "META-INF/manifest.xml": manifest,
            "content.xml": b"\x8a\x01 scrambled",
        }
    )
    assert refusal("a.odt", data) == (
        "password-protected .odt file: remove the password and upload it again"
    )


def test_it_refuses_a_corrupt_odt():
    data = make_zip({"content.xml": "<not-closed"})
    assert refusal("a.odt", data) == (
        "corrupt .odt file: its contents could not be read (try saving it again)"
    )


def test_it_refuses_an_odt_without_text():
    assert refusal("a.odt", make_odt([""])) == "no text to import: the file holds no text"


def test_it_refuses_a_file_that_is_not_a_pdf():
    assert refusal("a.pdf", b"P1: hello") == (
        "corrupt PDF: it could not be read (try printing it to a new PDF)"
    )


def test_it_refuses_a_truncated_pdf():
    data = make_pdf(["P1: hello"])
    assert refusal("a.pdf", data[:200]).startswith("corrupt PDF")


def test_it_refuses_a_password_protected_pdf():
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(0, 8, "P1: hidden")
    assert refusal("a.pdf", bytes(pdf.output())) == (
        "password-protected PDF: remove the password and upload it again"
    )


def test_it_refuses_a_scanned_pdf():
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 100, style="F")
    assert refusal("scan.pdf", bytes(pdf.output())) == "scanned PDF: no text to import"


def test_it_refuses_a_file_that_is_not_rtf():
    assert refusal("a.rtf", b"P1: hello") == ("corrupt RTF file: it does not start like one")


def test_it_refuses_an_rtf_without_text():
    assert refusal("a.rtf", b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\par}") == (
        "no text to import: the file holds no text"
    )


def test_it_refuses_a_vtt_without_its_header():
    assert refusal("a.vtt", b"00:00:01.000 --> 00:00:02.000\nHi.\n") == (
        "corrupt VTT file: it must start with WEBVTT"
    )


def test_it_refuses_a_vtt_without_cues():
    assert refusal("a.vtt", b"WEBVTT\n\nNOTE nothing here\n") == (
        "no text to import: the file has no captions"
    )


def test_it_refuses_an_srt_that_cannot_be_parsed():
    assert refusal("a.srt", b"this is not\na subtitle file\n") == (
        "corrupt SRT file: no subtitles could be read from it"
    )


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("a.docx", make_docx(["P1: hello, Zoë 🌞", "Interviewer: bye"])),
        ("a.odt", make_odt(["P1: hello, Zoë 🌞", "Interviewer: bye"])),
        ("a.pdf", make_pdf(["P1: hello, Zoë", "Interviewer: bye"])),
        ("a.rtf", make_rtf(["P1: hello, Zoë 🌞", "Interviewer: bye"])),
        ("a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Zoë>Hi 🌞\n".encode()),
        ("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nZoë: Hi 🌞\n".encode()),
    ],
)
def test_it_refuses_damaged_files_only_with_a_message(filename, data):
    rng = random.Random(filename)
    for _ in range(40):
        damaged = bytearray(data)
        if rng.random() < 0.5:
            for _ in range(rng.randrange(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        else:
            del damaged[rng.randrange(len(damaged)) :]
        with contextlib.suppress(ImportRefused):
            read_document(filename, bytes(damaged))
