"""The import issue's whole path: upload, fix a speaker, code, correct, find the lost coding."""

from codebook.models import AnchorStatus, Coding
from interviews.models import Interview
from tests.test_import_readers import make_docx

MOVED = "Then I moved to Leeds for work."
DELETED = "The budget was always tight."
DOCX_LINES = [
    "[00:00:05] INT: Where did you grow up?",
    f"[00:00:09] Manager Z: I grew up in Malaga, near the café 🌞. {MOVED} {DELETED}",
]
SRT = (
    "1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Shall we start?\n\n"
    "2\n00:00:05,000 --> 00:00:09,000\nManager Y: Yes, gladly.\n"
)


def test_a_corrected_transcript_keeps_one_coding_and_lists_the_other_as_lost(
    page, sign_in, drag_select, study, codes, alice
):
    sign_in("alice", "pw-alice")
    page.goto(f"/s/{study.slug}/import/")
    page.get_by_label("Transcript files").set_input_files(
        [
            {
                "name": "z.docx",
                "mimeType": "application/octet-stream",
                "buffer": make_docx(DOCX_LINES),
            },
            {"name": "y.srt", "mimeType": "text/plain", "buffer": SRT.encode()},
        ]
    )
    page.get_by_role("button", name="Upload and preview").click()
    card = page.get_by_role("region", name="z.docx")
    card.get_by_label("Rename INT").fill("Interviewer")
    card.get_by_role("button", name="Apply speaker changes").click()
    card = page.get_by_role("region", name="z.docx")
    card.get_by_role("rowheader", name="Interviewer", exact=True).wait_for()
    card.get_by_label("Title").fill("Manager Z")
    card.get_by_label("New participant").fill("Manager Z")
    card.get_by_role("button", name="Save interview").click()
    page.get_by_text("Imported “Manager Z” with 2 turns.").wait_for()
    page.get_by_role("region", name="y.srt").get_by_role("button", name="Save interview").click()
    page.get_by_text("Imported “y” with 2 turns.").wait_for()

    interview = Interview.objects.get(title="Manager Z")
    page.goto(interview.get_absolute_url())
    page.wait_for_selector("#workbench[data-ready=true]")
    for words, code in [(MOVED, "sense"), (DELETED, "inhib")]:
        drag_select(words)
        page.get_by_label("Code to apply").fill(code)
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"document.querySelectorAll('.stripe').length === {1 if code == 'sense' else 2}"
        )
    moved, deleted = Coding.objects.order_by("start")
    assert (moved.quote, deleted.quote) == (MOVED, DELETED)

    page.get_by_role("link", name="Correct transcript").click()
    editor = page.get_by_label("Transcript text")
    editor.fill(editor.input_value().replace("Malaga", "Málaga").replace(" " + DELETED, ""))
    page.get_by_role("button", name="Save correction").click()
    page.get_by_text("1 on their passage, 0 partly changed, 1 lost").wait_for()

    interview.refresh_from_db()
    moved.refresh_from_db()
    deleted.refresh_from_db()
    assert interview.text[moved.start : moved.end] == MOVED
    assert moved.anchor_status == AnchorStatus.OK
    assert (deleted.anchor_status, deleted.lost_quote) == (AnchorStatus.LOST, DELETED)

    page.get_by_role("link", name="Review changed and lost codings").click()
    page.get_by_role("listitem").filter(has_text=DELETED).get_by_text("Passage deleted").wait_for()
