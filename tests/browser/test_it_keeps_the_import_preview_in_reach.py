"""The import preview by keyboard: the focus goes to a new preview and stays with its changes."""

from interviews.imports import turns_of
from interviews.models import PendingImport

TRANSCRIPT = (
    "Interviewer: How do you work with citizens?\n"
    "Anna: We ask them to design services with us. It takes time.\n"
    "Interviewer: And the staff?\n"
    "Anna: Frontline staff were sceptical at first.\n"
)
ACTIVE = "document.activeElement"


def _tab_to(page, text, limit=20):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"{ACTIVE}.textContent.trim()") == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_the_focus_follows_an_upload_and_a_speaker_change(page, sign_in, study):
    sign_in("alice", "pw-alice")
    page.goto(f"/s/{study.slug}/import/")
    page.get_by_label("Transcript files").set_input_files(
        {"name": "citizens.txt", "mimeType": "text/plain", "buffer": TRANSCRIPT.encode()}
    )
    page.get_by_label("Transcript files").focus()
    _tab_to(page, "Upload and preview")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    # The new preview's heading has the focus, not the page's body.
    assert page.evaluate(f"{ACTIVE}.tagName") == "H2"
    assert page.evaluate(f"{ACTIVE}.textContent") == "citizens.txt"

    page.keyboard.press("Tab")
    assert page.evaluate(f"{ACTIVE}.labels[0].textContent").startswith("Rename ")
    page.keyboard.type("First speaker")
    _tab_to(page, "Apply speaker changes")
    page.keyboard.press("Enter")

    card = page.get_by_role("region", name="citizens.txt")
    card.get_by_role("rowheader", name="First speaker", exact=True).wait_for()
    said = card.get_by_role("status")
    assert said.text_content() == "Speaker changes applied."
    # The button that was pressed was replaced by its twin: that one has the focus.
    assert page.evaluate(f"{ACTIVE}.textContent") == "Apply speaker changes"
    assert "First speaker" in {turn.speaker for turn in turns_of(PendingImport.objects.get())}
