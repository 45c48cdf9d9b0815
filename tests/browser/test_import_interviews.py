"""A researcher uploads a Word transcript and an SRT file, fixes a speaker, saves both."""

from interviews.models import Interview
from tests.test_import_readers import make_docx

DOCX_LINES = [
    "[00:00:05] INT: Where did you grow up, Zoë?",
    "[00:00:09] Zoë: In Málaga, near the café 🌞.",
    "[00:00:20] INT: And then?",
    "[00:00:25] Zoë: Leeds.",
]
SRT = (
    "1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Shall we start?\n\n"
    "2\n00:00:05,000 --> 00:00:09,000\nAnna: Yes, gladly.\n"
)


def test_upload_two_files_adjust_the_preview_and_find_the_interviews(page, sign_in, study):
    sign_in("alice", "pw-alice")
    page.goto(f"/s/{study.slug}/")
    page.get_by_role("link", name="Import interviews").click()
    page.get_by_label("Transcript files").set_input_files(
        [
            {
                "name": "zoe.docx",
                "mimeType": "application/octet-stream",
                "buffer": make_docx(DOCX_LINES),
            },
            {"name": "anna.srt", "mimeType": "text/plain", "buffer": SRT.encode()},
        ]
    )
    page.get_by_role("button", name="Upload and preview").click()

    zoe = page.get_by_role("region", name="zoe.docx")
    speakers = zoe.get_by_role("table", name="Speakers found in zoe.docx")
    speakers.get_by_role("rowheader", name="INT", exact=True).wait_for()
    zoe.get_by_label("Rename INT").fill("Interviewer")
    zoe.get_by_role("button", name="Apply speaker changes").click()
    # htmx swaps the card: the renamed speaker appears, the old label is gone.
    zoe = page.get_by_role("region", name="zoe.docx")
    zoe.get_by_role("rowheader", name="Interviewer", exact=True).wait_for()
    assert zoe.get_by_role("rowheader", name="INT", exact=True).count() == 0
    zoe.get_by_label("Title").fill("Zoë in Leeds")
    zoe.get_by_label("New participant").fill("Zoë")
    zoe.get_by_role("button", name="Save interview").click()
    page.get_by_text("Imported “Zoë in Leeds” with 4 turns.").wait_for()

    anna = page.get_by_role("region", name="anna.srt")
    anna.get_by_label("Role of Anna").select_option("participant")
    anna.get_by_role("button", name="Apply speaker changes").click()
    page.get_by_role("region", name="anna.srt").get_by_label("Role of Anna").wait_for()
    anna = page.get_by_role("region", name="anna.srt")
    assert anna.get_by_label("Role of Anna").input_value() == "participant"
    anna.get_by_role("button", name="Save interview").click()
    page.get_by_text("Imported “anna” with 2 turns.").wait_for()

    page.goto(f"/s/{study.slug}/")
    page.get_by_role("link", name="Zoë in Leeds").click()
    page.get_by_role("heading", name="Zoë in Leeds").wait_for()
    transcript = page.locator(".transcript")
    assert "Interviewer" in transcript.inner_text()
    assert "In Málaga, near the café 🌞." in transcript.inner_text()

    zoe_turns = Interview.objects.get(title="Zoë in Leeds").turns.all()
    assert [t.speaker for t in zoe_turns] == ["Interviewer", "Zoë", "Interviewer", "Zoë"]
    anna_turns = Interview.objects.get(title="anna").turns.all()
    assert [(t.speaker, t.speaker_role) for t in anna_turns] == [
        ("Interviewer", "interviewer"),
        ("Anna", "participant"),
    ]
