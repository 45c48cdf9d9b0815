"""Coding real text selected with the mouse, checked in the database after a reload."""

from codebook.models import Coding
from tests.conftest import passage_of


def test_it_codes_a_mouse_selection_from_the_picker(
    page, open_workbench, drag_select, bob, interview, codes
):
    open_workbench(bob, interview)
    # From the middle of "asked" to the middle of "citizens": snapping widens to the words.
    drag_select("sked citiz")
    page.get_by_label("Code to apply").fill("sense")
    page.keyboard.press("Enter")
    page.wait_for_selector(".seg.hl")
    page.reload()
    page.wait_for_selector("#workbench[data-ready=true]")

    coding = Coding.objects.get()
    assert (coding.start, coding.end) == passage_of(interview.text, "asked citizens")
    assert coding.quote == "asked citizens"
    assert coding.code == codes["sensemaking"]
    assert page.locator(".stripe").count() == 1


def test_a_selection_across_turns_is_one_coding(
    page, open_workbench, drag_select, bob, interview, codes
):
    open_workbench(bob, interview)
    drag_select("not help.", until="What did")
    page.keyboard.press("3")  # with nothing typed in the picker, a shortcut applies its code
    page.wait_for_selector(".stripe")
    page.reload()
    page.wait_for_selector(".stripe")

    coding = Coding.objects.get()
    start = interview.text.index("not help.")
    end = interview.text.index("What did") + len("What did")
    assert (coding.start, coding.end) == (start, end)
    assert coding.quote == interview.text[start:end]
    assert coding.code == codes["inhibitor"]


def test_without_snapping_the_selection_is_kept_as_it_is(
    page, open_workbench, drag_select, bob, interview, codes
):
    open_workbench(bob, interview)
    page.get_by_label("Snap selections to whole words").uncheck()
    drag_select("sked citiz")
    page.keyboard.type("sense")
    page.keyboard.press("Enter")
    page.wait_for_selector(".stripe")
    coding = Coding.objects.get()
    assert (coding.start, coding.end) == passage_of(interview.text, "sked citiz")
    page.reload()
    page.wait_for_selector(".stripe")
    assert not page.get_by_label("Snap selections to whole words").is_checked()
