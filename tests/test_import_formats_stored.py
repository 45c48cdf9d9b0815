"""Every supported format, uploaded and saved, becomes an interview with the expected turns."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from interviews.models import Interview, PendingImport
from tests.test_import_readers import (
    LINES,
    PDF_LINES,
    SRT,
    TURNS,
    VTT,
    make_docx,
    make_odt,
    make_pdf,
    make_rtf,
)

CAPTION_TURNS = [
    ("Interviewer", "Where did you grow up, Zoë?", 1),
    ("Zoë", "In Málaga, near the café 🌞{}. It was naïve of me.", 5),
    ("", "(laughter)", 62),
]
DOCUMENT_TURNS = [(speaker or "", text, timestamp) for speaker, text, timestamp in TURNS]


def document(name):
    return {
        "interview.txt": lambda: "\n".join(LINES).encode(),
        "interview.md": lambda: "\n".join(LINES).encode("utf-8-sig"),
        "interview.docx": lambda: make_docx(LINES),
        "interview.odt": lambda: make_odt(LINES),
        "interview.rtf": lambda: make_rtf(LINES),
        "interview.vtt": lambda: VTT.encode(),
        "interview.srt": lambda: SRT.encode(),
        "interview.pdf": lambda: make_pdf(PDF_LINES),
    }[name]()


def upload_and_save(study, user, name):
    client = Client()
    client.force_login(user)
    client.post(
        reverse("import-interviews", args=[study.slug]),
        {"files": [SimpleUploadedFile(name, document(name))]},
    )
    pending = PendingImport.objects.get()
    client.post(
        reverse("pending-import", args=[study.slug, pending.pk]),
        {"action": "save", "title": name},
    )
    interview = Interview.objects.get(title=name)
    return [
        (t.speaker, interview.text[t.start : t.end], t.timestamp) for t in interview.turns.all()
    ]


@pytest.mark.parametrize(
    "name",
    ["interview.txt", "interview.md", "interview.docx", "interview.odt", "interview.rtf"],
)
def test_a_document_is_stored_with_its_speakers_timestamps_and_text(study, alice, name):
    assert upload_and_save(study, alice, name) == DOCUMENT_TURNS


def test_a_vtt_file_is_stored_with_its_voices_and_cue_times(study, alice):
    expected = [(speaker, text.format(" & the sea"), time) for speaker, text, time in CAPTION_TURNS]
    assert upload_and_save(study, alice, "interview.vtt") == expected


def test_an_srt_file_is_stored_with_its_labels_and_cue_times(study, alice):
    expected = [(speaker, text.format(""), time) for speaker, text, time in CAPTION_TURNS]
    assert upload_and_save(study, alice, "interview.srt") == expected


def test_a_pdf_is_stored_from_its_text_layer(study, alice):
    turns = upload_and_save(study, alice, "interview.pdf")
    assert [(speaker, time) for speaker, _, time in turns] == [
        ("", None),
        ("Interviewer", 5),
        ("Zoë", 9),
        ("Interviewer", None),
    ]
    assert turns[1][1] == "Where did you grow up, Zoë?"
