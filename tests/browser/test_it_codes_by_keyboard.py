"""Coding with the keyboard alone: Tab to the transcript, J/K between sentences, a shortcut."""

from codebook.models import Code, Coding
from tests.conftest import passage_of


def _tab_to_transcript(page):
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "transcript":
            return
    raise AssertionError("the transcript cannot be reached with Tab")


def test_it_codes_a_sentence_by_keyboard_alone(page, open_workbench, bob, interview, codes):
    open_workbench(bob, interview)
    _tab_to_transcript(page)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("j")
    assert page.locator("#announce").text_content() == (
        "We asked citizens to design the service with our frontline staff."
    )
    page.keyboard.press("1")  # the shortcut of Sensemaking
    page.wait_for_selector(".stripe")
    page.reload()
    page.wait_for_selector(".stripe")

    coding = Coding.objects.get()
    sentence = "We asked citizens to design the service with our frontline staff."
    assert (coding.start, coding.end) == passage_of(interview.text, sentence)
    assert coding.quote == sentence
    assert coding.code == codes["sensemaking"]


def test_shift_j_extends_and_the_picker_applies_by_enter(
    page, open_workbench, bob, interview, codes
):
    open_workbench(bob, interview)
    _tab_to_transcript(page)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Shift+J")
    page.keyboard.press("Enter")
    page.keyboard.type("inhib")
    page.keyboard.press("Enter")
    page.wait_for_selector(".stripe")
    page.reload()
    page.wait_for_selector(".stripe")

    coding = Coding.objects.get()
    words = "Yes – it was a “rôle” change for me 🙂. We asked citizens"
    assert coding.quote.startswith(words)
    assert coding.quote.endswith("frontline staff.")
    assert (coding.start, coding.end) == (
        interview.text.index(words),
        interview.text.index("frontline staff.") + len("frontline staff."),
    )
    assert coding.code == codes["inhibitor"]


def test_the_in_vivo_shortcut_names_a_code_after_the_selection(
    page, open_workbench, drag_select, study, bob, interview, codes
):
    study.open_coding = True
    study.save()
    open_workbench(bob, interview)
    drag_select("let go")
    page.keyboard.press("Escape")  # close the picker; the selection stays
    page.keyboard.press("i")
    page.wait_for_selector(".stripe")
    page.reload()
    page.wait_for_selector(".stripe")

    code = Code.objects.get(name="let go")
    coding = Coding.objects.get(code=code)
    assert (coding.start, coding.end) == passage_of(interview.text, "let go")
    assert page.locator("#code-tree").get_by_text("let go").count() == 1


def test_e_opens_the_coding_under_the_sentence_and_tab_reaches_its_controls(
    page, open_workbench, bob, interview, codes, make_coding
):
    make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    open_workbench(bob, interview)
    _tab_to_transcript(page)
    for _ in range(4):
        page.keyboard.press("j")
    page.keyboard.press("e")
    page.wait_for_selector("#coding-panel:focus")
    assert page.locator("#panel-heading").text_content() == "Coding: Inhibitor"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "panel-code"


def test_an_empty_turn_does_not_stop_the_keyboard(page, open_workbench, bob, study, codes):
    from interviews.models import Interview, Turn

    text = "A: \n\nB: Plain words here. More words."
    interview = Interview.objects.create(study=study, title="Gaps", text=text)
    Turn.objects.create(interview=interview, speaker="A", start=3, end=3)
    Turn.objects.create(interview=interview, speaker="B", start=8, end=len(text))
    open_workbench(bob, interview)
    _tab_to_transcript(page)
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("3")
    page.wait_for_selector(".stripe")
    assert Coding.objects.get().quote == "More words."


def test_a_sentence_chosen_after_a_correction_elsewhere_asks_for_a_reload(
    page, open_workbench, alice, bob, interview, codes
):
    from interviews.corrections import correct_transcript

    open_workbench(bob, interview)
    # The owner corrects the transcript while bob's page shows the old text.
    correct_transcript(interview, "A line added at the top.\n" + interview.text, alice, 1)
    _tab_to_transcript(page)
    for _ in range(3):  # to the sentence about citizens, as the page shows it
        page.keyboard.press("j")
    page.keyboard.press("1")
    status = page.locator("#status.error")
    status.wait_for()
    assert "reload the page" in status.text_content()
    assert not Coding.objects.exists()

    # Reloaded, the page shows the new text, and the same sentence is coded.
    page.reload()
    _tab_to_transcript(page)
    for _ in range(4):  # one sentence more now
        page.keyboard.press("j")
    page.keyboard.press("1")
    page.wait_for_selector(".stripe")
    sentence = "We asked citizens to design the service with our frontline staff."
    assert Coding.objects.get().quote == sentence
