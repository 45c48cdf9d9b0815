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
