"""Reading each supported file type into text and turns.

Every document is made here by the test, with the library that writes that
format, so no binary fixtures live in the repository.
"""

import io

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF
from odf import teletype
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P

from interviews.importing.common import Cue
from interviews.importing.readers import read_document
from interviews.importing.turns import detect_turns

LINES = [
    "Interview 7 – Leeds",
    "[00:00:05] Interviewer: Where did you grow up, Zoë?",
    "[00:00:09] Zoë: In Málaga, near the café 🌞.",
    "It was naïve of me.",
    "Interviewer: Thanks.",
]
TURNS = [
    (None, "Interview 7 – Leeds", None),
    ("Interviewer", "Where did you grow up, Zoë?", 5),
    ("Zoë", "In Málaga, near the café 🌞.\nIt was naïve of me.", 9),
    ("Interviewer", "Thanks.", None),
]


def turns_of(result):
    return [
        (turn.speaker, result.text[turn.start : turn.end], turn.timestamp)
        for turn in detect_turns(result.text, result.cues)
    ]


def make_docx(lines, build=None):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if build:
        build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(lines, build=None):
    document = OpenDocumentText()
    for line in lines:
        paragraph = P()
        teletype.addTextToElement(paragraph, line)
        document.text.addElement(paragraph)
    if build:
        build(document)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def make_pdf(lines):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_rtf(lines):
    def escape(char):
        if char in "\\{}":
            return "\\" + char
        if ord(char) < 128:
            return char
        units = char.encode("utf-16-le")
        return "".join(
            f"\\u{int.from_bytes(units[i : i + 2], 'little', signed=True)}?"
            for i in range(0, len(units), 2)
        )

    body = "\\par\n".join("".join(escape(c) for c in line) for line in lines)
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Helvetica;}}\n"
        f"\\pard\\f0 {body}\\par\n}}"
    ).encode("ascii")


# --- plain text and Markdown ------------------------------------------------


def test_it_reads_utf8_text_into_turns():
    result = read_document("interview.txt", "\n".join(LINES).encode())
    assert result.text == "\n".join(LINES)
    assert result.warnings == []
    assert turns_of(result) == TURNS


def test_it_reads_markdown_as_written():
    data = "# Interview 7\n\n**Interviewer:** Hi, Zoë 🌞.\n**Zoë:** Hola.\n".encode()
    result = read_document("notes.MD", data)
    assert result.text == data.decode()
    assert turns_of(result) == [
        (None, "# Interview 7", None),
        ("Interviewer", "Hi, Zoë 🌞.", None),
        ("Zoë", "Hola.", None),
    ]


def test_it_drops_a_utf8_byte_order_mark():
    result = read_document("a.txt", b"\xef\xbb\xbf" + "Zoë: Hola 🌞".encode())
    assert result.text == "Zoë: Hola 🌞"


def test_it_reads_utf16_with_a_byte_order_mark():
    for encoding in ("utf-16-le", "utf-16-be"):
        bom = "\ufeff".encode(encoding)
        result = read_document("a.txt", bom + "Zoë: Hola 🌞\r\n".encode(encoding))
        assert result.text == "Zoë: Hola 🌞\n"
        assert result.warnings == []


def test_it_falls_back_to_windows_1252_with_a_warning():
    result = read_document("a.txt", "Zoë: “café” – naïve".encode("cp1252"))
    assert result.text == "Zoë: “café” – naïve"
    assert result.warnings == ["not UTF-8: read as Windows-1252"]


def test_it_normalises_line_ends_and_composes_accents():
    result = read_document("a.txt", "Zoe\u0308: one\r\ntwo\rthree".encode())
    assert result.text == "Zoë: one\ntwo\nthree"


def test_it_drops_control_characters_and_splits_at_form_feeds():
    result = read_document("a.txt", b"P1: one\x07\x0cP2: two")
    assert result.text == "P1: one\nP2: two"


# --- Word --------------------------------------------------------------------


def test_it_reads_a_docx_into_turns():
    result = read_document("interview.docx", make_docx(LINES))
    assert result.text == "\n".join(LINES)
    assert turns_of(result) == TURNS


def test_it_reads_docx_tables_row_by_row_in_place():
    def add_table(document):
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Interviewer"
        table.cell(0, 1).text = "Any more, Zoë?"
        table.cell(1, 0).text = "Zoë"
        table.cell(1, 1).text = "No 🌞"
        document.add_paragraph("Interviewer: Bye.")

    result = read_document("t.docx", make_docx(["Before the table"], add_table))
    assert result.text == (
        "Before the table\nInterviewer\tAny more, Zoë?\nZoë\tNo 🌞\nInterviewer: Bye."
    )
    assert result.warnings == [
        "read 1 table(s) row by row, cells separated by tabs: check the turns"
    ]
    assert [speaker for speaker, _, _ in turns_of(result)] == [
        None,
        "Interviewer",
        "Zoë",
        "Interviewer",
    ]


def test_it_keeps_tracked_insertions_and_drops_tracked_deletions_in_docx():
    def track_changes(document):
        paragraph = document.add_paragraph("P1: I lived in ")
        deleted = OxmlElement("w:del")
        deleted.set(qn("w:id"), "1")
        deleted.set(qn("w:author"), "A")
        run = OxmlElement("w:r")
        text = OxmlElement("w:delText")
        text.text = "Lyon"
        run.append(text)
        deleted.append(run)
        inserted = OxmlElement("w:ins")
        inserted.set(qn("w:id"), "2")
        inserted.set(qn("w:author"), "A")
        inserted.append(paragraph.add_run("Málaga")._r)
        paragraph._p.append(deleted)
        paragraph._p.append(inserted)
        paragraph.add_run(".")

    result = read_document("t.docx", make_docx([], track_changes))
    assert result.text == "P1: I lived in Málaga."


def test_it_turns_docx_line_breaks_and_tabs_into_text():
    def add_breaks(document):
        paragraph = document.add_paragraph("Interviewer:")
        paragraph.add_run().add_tab()
        paragraph.add_run("Hi.")
        paragraph.add_run().add_break()
        paragraph.add_run("Zoë: Hola.")

    result = read_document("t.docx", make_docx([], add_breaks))
    assert result.text == "Interviewer:\tHi.\nZoë: Hola."
    assert turns_of(result) == [("Interviewer", "Hi.", None), ("Zoë", "Hola.", None)]


def test_otters_word_export_keeps_its_closing_credit_out_of_the_last_turn():
    lines = [
        "Speaker 1  0:03",
        "Hello there.",
        "",
        "Speaker 2  0:10",
        "Hi.",
        "",
        "Transcribed by https://otter.ai",
    ]
    result = read_document("otter.docx", make_docx(lines))
    assert result.text.endswith("Transcribed by https://otter.ai")
    assert turns_of(result) == [("Speaker 1", "Hello there.", 3), ("Speaker 2", "Hi.", 10)]


def make_bold_named_docx(paragraphs, style=None):
    """A .docx whose paragraphs are ``(bold lead, rest)``; ``None`` lead: a plain paragraph."""

    def build(document):
        for lead, rest in paragraphs:
            paragraph = document.add_paragraph()
            if lead is not None:
                run = paragraph.add_run(lead)
                if style:
                    run.style = document.styles[style]
                else:
                    run.bold = True
            paragraph.add_run(rest)

    return make_docx([], build)


BOLD_NAMED = [
    (None, "Interview with P4, 12 May"),
    ("Interviewer", " What did you do before the project?"),
    ("P4 ", "I ran the café near the station."),
    (None, "That was before the council took it over."),
    ("Interviewer", " And then?"),
    ("P4", " Then I joined the board 🙂."),
]
BOLD_NAMED_TURNS = [
    (None, "Interview with P4, 12 May", None),
    ("Interviewer", "What did you do before the project?", None),
    ("P4", "I ran the café near the station.\nThat was before the council took it over.", None),
    ("Interviewer", "And then?", None),
    ("P4", "Then I joined the board 🙂.", None),
]


@pytest.mark.parametrize("style", [None, "Strong"])
def test_it_reads_bold_names_at_the_start_of_every_turn_as_speakers(style):
    result = read_document("t.docx", make_bold_named_docx(BOLD_NAMED, style))
    assert turns_of(result) == BOLD_NAMED_TURNS
    assert result.warnings == [
        "read the bold names starting paragraphs as speakers (Interviewer, P4): check the turns"
    ]


def test_bold_names_are_separated_from_the_words_by_a_tab_so_corrections_find_them():
    result = read_document("t.docx", make_bold_named_docx(BOLD_NAMED))
    assert result.text.split("\n")[1:3] == [
        "Interviewer\tWhat did you do before the project?",
        "P4\tI ran the café near the station.",
    ]


@pytest.mark.parametrize(
    "paragraphs",
    [
        # One name only: bold is emphasis here.
        [("Important", " We asked citizens."), ("Important", " The budget was tight.")],
        # A bold lead that is no name: the document uses bold for something else.
        BOLD_NAMED + [("this mattered a lot", " to all of us.")],
        # Each name must start two paragraphs or more.
        BOLD_NAMED[:4],
        # Most paragraphs after the first name start with none.
        BOLD_NAMED + [(None, "More words.")] * 5,
        # Bold that stops inside a word sets no name apart.
        [("Inter", "viewer said hi"), ("Pa", "rticipant said hello")] * 2,
        # Names already written as labels: the text's own rules read them.
        [("Interviewer:", " Hi."), ("P4:", " Hello."), ("Interviewer", " Bye."), ("P4", " Bye.")],
    ],
)
def test_bold_words_are_not_speakers_unless_every_turn_is_laid_out_so(paragraphs):
    result = read_document("t.docx", make_bold_named_docx(paragraphs))
    assert result.text == "\n".join((lead or "") + rest for lead, rest in paragraphs)
    assert result.warnings == []


def test_a_bold_heading_alone_on_its_line_does_not_stop_bold_names():
    paragraphs = [("Background", "")] + BOLD_NAMED[1:]
    result = read_document("t.docx", make_bold_named_docx(paragraphs))
    assert turns_of(result)[0] == (None, "Background", None)
    assert turns_of(result)[1:] == BOLD_NAMED_TURNS[1:]


# --- OpenDocument --------------------------------------------------------------


def test_it_reads_an_odt_into_turns():
    result = read_document("interview.odt", make_odt(LINES))
    assert result.text == "\n".join(LINES)
    assert turns_of(result) == TURNS


def test_it_reads_odt_headings_spaces_and_tables():
    def add_more(document):
        table = Table(name="Turns")
        table.addElement(TableColumn(numbercolumnsrepeated=2))
        for speaker, spoken in (("Interviewer", "Any more?"), ("Zoë", "No 🌞")):
            row = TableRow()
            for cell_text in (speaker, spoken):
                cell = TableCell()
                cell.addElement(P(text=cell_text))
                row.addElement(cell)
            table.addElement(row)
        document.text.addElement(table)

    def build(document):
        document.text.addElement(H(outlinelevel=1, text="Interview 7"))
        paragraph = P()
        teletype.addTextToElement(paragraph, "P1:   wide\tgap")
        document.text.addElement(paragraph)
        add_more(document)

    result = read_document("t.odt", make_odt([], build))
    assert result.text == "Interview 7\nP1:   wide\tgap\nInterviewer\tAny more?\nZoë\tNo 🌞"
    assert len(result.warnings) == 1


# --- RTF -----------------------------------------------------------------------


def test_it_reads_an_rtf_into_turns():
    result = read_document("interview.rtf", make_rtf(LINES))
    assert result.text.rstrip("\n") == "\n".join(LINES)
    assert turns_of(result) == TURNS


# --- PDF -----------------------------------------------------------------------

PDF_LINES = [
    "Interview 7, Leeds",
    "[00:00:05] Interviewer: Where did you grow up, Zoë?",
    (
        "[00:00:09] Zoë: In Málaga, near the café. It was naïve of me, and I would "
        "say that it took me years to see how much that town gave me."
    ),
    "Interviewer: Thanks.",
]


def test_it_reads_a_pdf_text_layer_into_turns():
    result = read_document("interview.pdf", make_pdf(PDF_LINES))
    turns = turns_of(result)
    assert [(speaker, timestamp) for speaker, _, timestamp in turns] == [
        (None, None),
        ("Interviewer", 5),
        ("Zoë", 9),
        ("Interviewer", None),
    ]
    # The printed line wraps; the answer stays one turn.
    assert " ".join(turns[2][1].split()) == PDF_LINES[2].split("Zoë: ")[1]
    assert turns[1][1] == "Where did you grow up, Zoë?"


def test_it_reads_a_pdf_protected_only_against_changes():
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(0, 8, "P1: Open to read.")
    result = read_document("a.pdf", bytes(pdf.output()))
    assert result.text == "P1: Open to read."


def test_it_warns_about_pdf_pages_without_text():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(0, 8, "P1: Page one.")
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    result = read_document("a.pdf", bytes(pdf.output()))
    assert result.text.strip() == "P1: Page one."
    assert result.warnings == ["1 of 2 pages had no text (scanned pages are not read)"]


# --- captions ------------------------------------------------------------------

VTT = """WEBVTT
Kind: captions

NOTE written by hand for this test

1
00:00:01.000 --> 00:00:04.000 align:start
<v Interviewer>Where did you grow up, Zoë?</v>

00:00:05.500 --> 00:00:08.000
<v.loud Zoë>In Málaga,
near the <b>café</b> 🌞 &amp; the sea.

00:00:08.000 --> 00:00:10.000
<v Zoë>It was naïve of me.

01:02.000 --> 01:04.000
(laughter)
"""


def test_it_reads_vtt_cues_voices_and_times():
    result = read_document("interview.vtt", VTT.encode())
    assert result.text == (
        "[00:00:01] Interviewer: Where did you grow up, Zoë?\n"
        "[00:00:05] Zoë: In Málaga, near the café 🌞 & the sea. It was naïve of me.\n"
        "[00:01:02] (laughter)"
    )
    assert result.cues == [
        Cue(1.0, "Interviewer", "Where did you grow up, Zoë?"),
        Cue(5.5, "Zoë", "In Málaga, near the café 🌞 & the sea."),
        Cue(8.0, "Zoë", "It was naïve of me."),
        Cue(62.0, None, "(laughter)"),
    ]
    assert turns_of(result) == [
        ("Interviewer", "Where did you grow up, Zoë?", 1),
        ("Zoë", "In Málaga, near the café 🌞 & the sea. It was naïve of me.", 5),
        (None, "(laughter)", 62),
    ]
    assert result.warnings == []


def test_it_splits_a_vtt_cue_with_two_voices():
    data = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Hi.</v> <v Bob>Hello.</v>\n"
    result = read_document("a.vtt", data)
    assert result.text == "[00:00:01] Ann: Hi.\n[00:00:01] Bob: Hello."


def test_it_takes_a_vtt_speaker_from_a_label_when_there_is_no_voice():
    data = b"WEBVTT\n\n00:00:03.000 --> 00:00:04.000\nAnn Lee: Hi there.\n"
    result = read_document("a.vtt", data)
    assert result.cues == [Cue(3.0, "Ann Lee", "Hi there.")]


def test_it_warns_about_vtt_blocks_that_are_not_cues():
    data = b"WEBVTT\n\nnot a cue\n\n00:00:03.000 --> 00:00:04.000\nHi.\n"
    result = read_document("a.vtt", data)
    assert result.warnings == ["skipped 1 block(s) that are not cues"]
    assert result.text == "[00:00:03] Hi."


SRT = """1
00:00:01,000 --> 00:00:04,000
Interviewer: Where did you grow up, Zoë?

2
00:00:05,500 --> 00:00:08,000
Zoë: In Málaga,
near the <i>café</i> 🌞.

3
00:00:08,000 --> 00:00:10,000
Zoë: It was naïve of me.

4
00:01:02,000 --> 00:01:04,000
{\\an8}(laughter)
"""


def test_it_reads_srt_cues_labels_and_times():
    result = read_document("interview.srt", SRT.encode())
    assert result.text == (
        "[00:00:01] Interviewer: Where did you grow up, Zoë?\n"
        "[00:00:05] Zoë: In Málaga, near the café 🌞. It was naïve of me.\n"
        "[00:01:02] (laughter)"
    )
    assert result.cues[1] == Cue(5.5, "Zoë", "In Málaga, near the café 🌞.")
    assert turns_of(result) == [
        ("Interviewer", "Where did you grow up, Zoë?", 1),
        ("Zoë", "In Málaga, near the café 🌞. It was naïve of me.", 5),
        (None, "(laughter)", 62),
    ]


def test_it_reads_an_srt_with_a_byte_order_mark_and_windows_line_ends():
    data = b"\xef\xbb\xbf" + SRT.replace("\n", "\r\n").encode()
    assert read_document("a.srt", data).text.startswith("[00:00:01] Interviewer:")
