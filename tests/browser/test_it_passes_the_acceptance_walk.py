"""The issue's acceptance walk: ten passages by mouse, five by keyboard, one undo, a reload."""

from codebook.models import Coding
from tests.conftest import passage_of

MOUSE_PASSAGES = [
    ("Could you tell me", "sense"),
    ("café project", "ident"),
    ("“rôle” change", "ident"),
    ("asked citizens", "sense"),
    ("design the service", "ident"),
    ("frontline staff", "sense"),
    ("The budget was tight", "sense"),
    ("the targets did not help", "ident"),
    ("as a manager", "ident"),
    ("opening doors", "sense"),
]
SENTENCES = [
    "Could you tell me about the café project?",
    "Yes – it was a “rôle” change for me 🙂.",
    "We asked citizens to design the service with our frontline staff.",
    "The budget was tight, and the targets did not help.",
    "What did that mean for you as a manager?",
]


def _wait_for_stripes(page, count):
    page.wait_for_function(f"document.querySelectorAll('.stripe').length === {count}")


def test_a_coder_codes_by_mouse_and_keyboard_undoes_one_and_finds_them_after_reload(
    page, open_workbench, drag_select, bob, carol, interview, codes, make_coding
):
    make_coding(interview, codes["inhibitor"], carol, "I had to learn")
    open_workbench(bob, interview)
    assert page.locator(".stripe").count() == 0  # blind coding hides carol's coding

    for count, (words, code) in enumerate(MOUSE_PASSAGES, start=1):
        drag_select(words)
        page.get_by_label("Code to apply").fill(code)
        page.keyboard.press("Enter")
        _wait_for_stripes(page, count)

    page.locator("#transcript").focus()
    for count, _ in enumerate(SENTENCES, start=len(MOUSE_PASSAGES) + 1):
        page.keyboard.press("j")
        page.keyboard.press("3")  # Inhibitor
        _wait_for_stripes(page, count)

    page.keyboard.press("Control+z")
    _wait_for_stripes(page, 14)
    page.reload()
    page.wait_for_selector("#workbench[data-ready=true]")
    _wait_for_stripes(page, 14)

    stored = {(c.start, c.end, c.quote) for c in Coding.objects.filter(coder=bob)}
    expected = {(*passage_of(interview.text, words), words) for words, _ in MOUSE_PASSAGES} | {
        (*passage_of(interview.text, s), s) for s in SENTENCES[:4]
    }
    assert stored == expected
    assert Coding.objects.filter(coder=carol).count() == 1
    assert "I had to learn" not in page.locator("#workbench-data").text_content()
