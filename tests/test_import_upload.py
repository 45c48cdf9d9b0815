"""Uploading transcripts in the browser: staging, refusals, the speaker preview, saving."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from fpdf import FPDF

from interviews.imports import participant_named
from interviews.models import Interview, Participant, PendingImport, Turn
from tests.test_import_readers import BOLD_NAMED, BOLD_NAMED_TURNS, make_bold_named_docx, make_docx

TRANSCRIPT = (
    "[00:00:05] INT: Where did you grow up, Zoë?\n"
    "[00:00:09] Zoë: In Málaga, near the café 🌞.\n"
    "[00:00:20] INT: And then?\n"
    "[00:00:25] Zoe: Leeds.\n"
)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def upload_url(study):
    return reverse("import-interviews", args=[study.slug])


def adjust_url(study, pending):
    return reverse("pending-import", args=[study.slug, pending.pk])


def upload(client, study, *files):
    return client.post(
        upload_url(study),
        {"files": [SimpleUploadedFile(name, data) for name, data in files]},
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def staged(study, alice):
    client = signed_in(alice)
    upload(client, study, ("zoe.txt", TRANSCRIPT.encode()))
    return client, PendingImport.objects.get()


def scanned_pdf():
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 100, style="F")
    return bytes(pdf.output())


def locked_pdf():
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(0, 8, "P1: hidden")
    return bytes(pdf.output())


def zip_bomb():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as entry,
    ):
        for _ in range(30):
            entry.write(bytes(1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.xyz", b"data", "notes.xyz: unsupported file type .xyz"),
        ("empty.txt", b"", "empty.txt: empty file: there is nothing to import"),
        ("broken.docx", b"not a zip at all", "broken.docx: corrupt"),
        ("scan.pdf", None, "scan.pdf: scanned PDF: no text to import"),
        ("bomb.docx", None, "bomb.docx: suspicious .docx file"),
        ("locked.pdf", None, "locked.pdf: password-protected PDF"),
    ],
)
def test_it_refuses_a_bad_file_with_its_message_and_stores_nothing(
    study, alice, name, data, message
):
    makers = {"scan.pdf": scanned_pdf, "bomb.docx": zip_bomb, "locked.pdf": locked_pdf}
    data = makers[name]() if data is None else data
    response = upload(signed_in(alice), study, (name, data))
    assert any(text.startswith(message) for text in messages_of(response)), messages_of(response)
    assert not PendingImport.objects.exists()
    assert not Interview.objects.exists()


def test_it_refuses_a_file_over_the_size_limit_setting(study, alice, settings):
    settings.COPROD_MAX_UPLOAD_BYTES = 100
    response = upload(signed_in(alice), study, ("long.txt", b"P1: hello\n" * 20))
    assert messages_of(response) == ["long.txt: file too large: 200 bytes, the limit is 100 bytes"]
    assert not PendingImport.objects.exists()


def test_a_huge_file_is_refused_with_its_real_size(study, alice, settings):
    settings.COPROD_MAX_UPLOAD_BYTES = 1024 * 1024
    response = upload(signed_in(alice), study, ("long.txt", b"P1: hello\n" * 300_000))
    assert messages_of(response) == ["long.txt: file too large: 2.9 MB, the limit is 1 MB"]
    assert not PendingImport.objects.exists()


def test_a_bad_file_does_not_stop_the_others_of_the_same_upload(study, alice):
    response = upload(
        signed_in(alice),
        study,
        ("empty.txt", b""),
        ("zoe.txt", TRANSCRIPT.encode()),
        ("zoe.docx", make_docx(TRANSCRIPT.splitlines())),
    )
    assert messages_of(response) == ["empty.txt: empty file: there is nothing to import"]
    assert sorted(PendingImport.objects.values_list("filename", flat=True)) == [
        "zoe.docx",
        "zoe.txt",
    ]


def test_a_file_name_with_a_folder_part_is_never_stored_with_it(study, alice):
    upload(signed_in(alice), study, ("../../etc/zoe.txt", TRANSCRIPT.encode()))
    assert "/" not in PendingImport.objects.get().filename


def test_the_preview_shows_speakers_with_turns_and_words_and_first_turns(staged, study):
    client, pending = staged
    response = client.get(upload_url(study))
    speakers = response.context["cards"][0]["speakers"]
    assert [(s["name"], s["turns"], s["words"]) for s in speakers] == [
        ("INT", 2, 8),
        ("Zoë", 1, 6),
        ("Zoe", 1, 1),
    ]
    assert speakers[0]["role"] == "interviewer"
    assert "In Málaga, near the café 🌞." in response.content.decode()


def test_the_preview_escapes_the_transcript(study, alice):
    client = signed_in(alice)
    upload(client, study, ("x.txt", b"P1: <script>alert(1)</script>\n"))
    content = client.get(upload_url(study)).content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)" in content


def test_it_renames_a_speaker_and_sets_roles(staged, study):
    client, pending = staged
    response = client.post(
        adjust_url(study, pending),
        {
            "action": "speakers",
            "name-0": "Interviewer",
            "role-0": "interviewer",
            "role-1": "participant",
        },
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert {turn[0] for turn in pending.turns} == {"Interviewer", "Zoë", "Zoe"}
    assert pending.speaker_roles["Interviewer"] == "interviewer"
    assert pending.speaker_roles["Zoë"] == "participant"


def test_it_renders_only_the_preview_for_htmx(staged, study):
    client, pending = staged
    response = client.post(
        adjust_url(study, pending),
        {"action": "merge", "speaker": "Zoe", "into": "Zoë"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div class="speaker-preview"')
    assert "Save interview" not in content
    assert "<h1>" not in content
    pending.refresh_from_db()
    assert [turn[0] for turn in pending.turns] == ["INT", "Zoë", "INT", "Zoë"]


def test_it_reports_a_rename_to_an_empty_name_as_no_change(staged, study):
    client, pending = staged
    client.post(adjust_url(study, pending), {"action": "speakers", "name-0": "   "})
    pending.refresh_from_db()
    assert pending.turns[0][0] == "INT"


def test_a_merge_of_an_unknown_speaker_gets_a_message(staged, study):
    client, pending = staged
    response = client.post(
        adjust_url(study, pending),
        {"action": "merge", "speaker": "Nobody", "into": "Zoë"},
        follow=True,
    )
    assert messages_of(response) == ["zoe.txt: No speaker 'Nobody' in this transcript."]


def test_it_turns_speaker_detection_off_and_on(staged, study):
    client, pending = staged
    client.post(adjust_url(study, pending), {"action": "detection", "on": "0"})
    pending.refresh_from_db()
    assert not pending.detect_speakers
    assert {turn[0] for turn in pending.turns} == {None}
    assert pending.text[pending.turns[0][1] : pending.turns[0][2]].startswith("[00:00:05] INT:")
    client.post(adjust_url(study, pending), {"action": "detection", "on": "1"})
    pending.refresh_from_db()
    assert [turn[0] for turn in pending.turns] == ["INT", "Zoë", "INT", "Zoe"]


def test_it_saves_the_interview_with_its_turns_and_a_new_participant(staged, study):
    client, pending = staged
    client.post(
        adjust_url(study, pending), {"action": "speakers", "name-0": "Interviewer", "name-2": "Zoë"}
    )
    response = client.post(
        adjust_url(study, pending),
        {"action": "save", "title": "Zoë in Leeds", "participant": "", "new_participant": "Zoë"},
        follow=True,
    )
    assert messages_of(response) == ["Imported “Zoë in Leeds” with 4 turns."]
    interview = Interview.objects.get()
    assert interview.participant.label == "Zoë"
    assert interview.text == TRANSCRIPT
    turns = [
        (t.speaker, t.speaker_role, t.timestamp, interview.text[t.start : t.end])
        for t in interview.turns.all()
    ]
    assert turns == [
        ("Interviewer", "interviewer", 5, "Where did you grow up, Zoë?"),
        ("Zoë", "participant", 9, "In Málaga, near the café 🌞."),
        ("Interviewer", "interviewer", 20, "And then?"),
        ("Zoë", "participant", 25, "Leeds."),
    ]
    assert not PendingImport.objects.exists()


def test_it_saves_with_an_existing_participant(staged, study, participant):
    client, pending = staged
    client.post(
        adjust_url(study, pending),
        {"action": "save", "title": "Zoë", "participant": str(participant.pk)},
    )
    assert Interview.objects.get().participant == participant
    assert Participant.objects.count() == 1


def test_a_duplicate_title_is_refused_with_a_message_and_the_upload_kept(staged, study, interview):
    client, pending = staged
    response = client.post(
        adjust_url(study, pending), {"action": "save", "title": interview.title.upper()}
    )
    assert response.status_code == 200
    assert "already exists in this study" in response.content.decode()
    assert Interview.objects.count() == 1
    assert PendingImport.objects.filter(pk=pending.pk).exists()


def test_it_discards_an_upload(staged, study):
    client, pending = staged
    client.post(adjust_url(study, pending), {"action": "discard"})
    assert not PendingImport.objects.exists()
    assert not Turn.objects.exists()


def test_another_uploader_cannot_touch_an_upload(staged, study, sam):
    _, pending = staged
    response = signed_in(sam).post(adjust_url(study, pending), {"action": "discard"})
    assert response.status_code == 404
    assert PendingImport.objects.exists()


def test_upload_works_with_csrf_checks(study, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(upload_url(study))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    response = client.post(
        upload_url(study),
        {"files": [SimpleUploadedFile("a.txt", b"P1: hi")], "csrfmiddlewaretoken": token or ""},
    )
    assert response.status_code == 302
    assert PendingImport.objects.count() == 1


def test_a_caption_file_turns_detection_off_and_on_again_from_its_cues(study, alice):
    client = signed_in(alice)
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\nAnna: Hi.\n\n2\n00:00:03,000 --> 00:00:04,000\nBo: Yo.\n"
    )
    upload(client, study, ("a.srt", srt.encode()))
    pending = PendingImport.objects.get()
    client.post(adjust_url(study, pending), {"action": "detection", "on": "0"})
    client.post(adjust_url(study, pending), {"action": "detection", "on": "1"})
    pending.refresh_from_db()
    assert [(t[0], t[3]) for t in pending.turns] == [("Anna", 1), ("Bo", 3)]


def test_uploads_left_for_a_day_are_cleared_when_the_page_opens(staged, study):
    client, pending = staged
    PendingImport.objects.filter(pk=pending.pk).update(created=pending.created - timedelta(days=2))
    client.get(upload_url(study))
    assert not PendingImport.objects.exists()


def test_the_study_page_links_to_importing_for_importers_only(study, alice, bob):
    url = reverse("study-detail", args=[study.slug])
    assert upload_url(study) in signed_in(alice).get(url).content.decode()
    assert upload_url(study) not in signed_in(bob).get(url).content.decode()


def test_the_import_page_needs_no_query_per_upload(
    study, alice, participant, django_assert_max_num_queries
):
    client = signed_in(alice)
    upload(client, study, *[(f"file{n}.txt", TRANSCRIPT.encode()) for n in range(5)])
    with django_assert_max_num_queries(7):
        response = client.get(upload_url(study))
    assert len(response.context["cards"]) == 5
    assert (
        response.content.decode().count(f'<option value="{participant.pk}">Manager A</option>') == 5
    )


def test_a_merge_without_a_target_gets_a_message(staged, study):
    client, pending = staged
    response = client.post(
        adjust_url(study, pending), {"action": "merge", "speaker": "Zoe"}, HTTP_HX_REQUEST="true"
    )
    assert "Choose the speaker to merge into." in response.content.decode()
    pending.refresh_from_db()
    assert [turn[0] for turn in pending.turns] == ["INT", "Zoë", "INT", "Zoe"]


def test_a_duplicate_title_differing_in_the_case_of_accented_letters_is_refused(
    staged, study, interview
):
    # SQLite compares case only for ASCII letters: "É" and "é" are checked by coprod itself.
    interview.title = "Entretien avec la DIRECTRICE ÉLUE"
    interview.save()
    client, pending = staged
    response = client.post(
        adjust_url(study, pending), {"action": "save", "title": "entretien avec la directrice élue"}
    )
    assert "already exists in this study" in response.content.decode()
    assert Interview.objects.count() == 1


def test_a_participant_named_with_accented_capitals_is_the_same_participant(study, participant):
    participant.label = "MANAGER Å"
    participant.save()
    assert participant_named(study, "manager å") == participant
    assert Participant.objects.count() == 1


def test_it_imports_a_docx_with_bold_speaker_names_without_colons(study, alice):
    client = signed_in(alice)
    upload(client, study, ("bold.docx", make_bold_named_docx(BOLD_NAMED)))
    pending = PendingImport.objects.get()
    card = client.get(upload_url(study)).content.decode()
    assert "read the bold names starting paragraphs as speakers" in card
    response = client.post(
        adjust_url(study, pending),
        {"action": "save", "title": "P4", "participant": "", "new_participant": ""},
        follow=True,
    )
    assert messages_of(response) == ["Imported “P4” with 5 turns."]
    interview = Interview.objects.get()
    assert [
        (t.speaker or None, interview.text[t.start : t.end], t.timestamp)
        for t in interview.turns.all()
    ] == BOLD_NAMED_TURNS
    assert interview.turns.get(speaker="Interviewer", start__lt=50).speaker_role == "interviewer"


OTTER_WITH_CREDIT = (
    "Speaker 1  0:03\nHow did the project start?\n\n"
    "Speaker 2  0:10\nWith a café in the town hall.\n\n\n"
    "Transcribed by https://otter.ai\n"
)


def _save_otter_with_credit(client, study):
    upload(client, study, ("otter.txt", OTTER_WITH_CREDIT.encode()))
    pending = PendingImport.objects.get()
    card = client.get(upload_url(study)).context["cards"][0]
    client.post(
        adjust_url(study, pending),
        {"action": "save", "title": "Otter", "participant": "", "new_participant": ""},
    )
    return card, Interview.objects.get()


def test_otters_closing_credit_stays_in_the_text_but_out_of_the_last_turn(study, alice, codes):
    client = signed_in(alice)
    card, interview = _save_otter_with_credit(client, study)
    # The preview counts the credit's words as nobody's.
    assert [(s["name"], s["words"]) for s in card["speakers"]] == [
        ("Speaker 1", 5),
        ("Speaker 2", 7),
    ]
    assert interview.text == OTTER_WITH_CREDIT
    assert [(t.speaker, interview.text[t.start : t.end]) for t in interview.turns.all()] == [
        ("Speaker 1", "How did the project start?"),
        ("Speaker 2", "With a café in the town hall."),
    ]
    # Nobody can code it as Speaker 2's words either.
    start = interview.text.index("Transcribed")
    response = client.post(
        reverse("coding-add", args=[study.slug, interview.pk]),
        {"code": codes["sensemaking"].pk, "start": start, "end": start + 11},
        headers={"HX-Request": "true"},
    )
    assert "outside what anyone said" in response.content.decode()
    assert not interview.codings.exists()


def test_otters_closing_credit_stays_out_of_the_paragraphs_without_detection(study, alice):
    client = signed_in(alice)
    upload(client, study, ("otter.txt", OTTER_WITH_CREDIT.encode()))
    pending = PendingImport.objects.get()
    client.post(adjust_url(study, pending), {"action": "detection", "on": "0"})
    pending.refresh_from_db()
    assert [pending.text[start:end] for _, start, end, _ in pending.turns][-1] == (
        "With a café in the town hall."
    )


def test_it_imports_an_otter_export_with_a_turn_per_speaker_header(study, alice):
    otter = (
        "Speaker 1  0:03\nHello there, welcome.\n\n"
        "Speaker 2  0:10\nThanks for having me.\n\n"
        "Speaker 1  1:02:20\nLet us begin.\n"
    )
    client = signed_in(alice)
    upload(client, study, ("otter.txt", otter.encode()))
    pending = PendingImport.objects.get()
    response = client.post(
        adjust_url(study, pending),
        {"action": "save", "title": "Otter", "participant": "", "new_participant": ""},
        follow=True,
    )
    assert messages_of(response) == ["Imported “Otter” with 3 turns."]
    interview = Interview.objects.get()
    assert interview.text == otter
    assert [
        (t.speaker, t.timestamp, interview.text[t.start : t.end]) for t in interview.turns.all()
    ] == [
        ("Speaker 1", 3, "Hello there, welcome."),
        ("Speaker 2", 10, "Thanks for having me."),
        ("Speaker 1", 3740, "Let us begin."),
    ]
