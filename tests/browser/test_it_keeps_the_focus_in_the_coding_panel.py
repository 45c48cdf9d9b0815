"""Keyboard only: after each action in the coding panel the focus stays where it was.

The panel is swapped whole after every change; a keyboard user must not be sent back to
the top of the page each time.
"""

import pytest

from codebook.models import Coding


def _tab_to(page, test):
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    raise AssertionError(f"Tab never reached {test}")


@pytest.fixture
def opened(page, open_workbench, bob, interview, codes, make_coding):
    """Open bob's coding of "asked citizens" with E, by keyboard alone."""
    coding = make_coding(interview, codes["sensemaking"], bob, "asked citizens")
    open_workbench(bob, interview)
    _tab_to(page, "document.activeElement.id === 'transcript'")
    for _ in range(3):  # to the sentence about citizens
        page.keyboard.press("j")
    page.keyboard.press("e")
    page.wait_for_selector("#coding-panel:focus")
    return coding


def _focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def test_an_edge_move_keeps_the_focus_on_its_button(page, opened):
    _tab_to(page, "document.activeElement.textContent.trim() === 'End one word later'")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('#coding-panel blockquote')?.textContent === 'asked citizens to'"
    )
    page.wait_for_function("document.activeElement.tagName === 'BUTTON'")
    assert _focused_text(page) == "End one word later"
    page.keyboard.press("Enter")  # again, without finding the button anew
    page.wait_for_function(
        "document.querySelector('#coding-panel blockquote')?.textContent"
        " === 'asked citizens to design'"
    )
    opened.refresh_from_db()
    assert opened.quote == "asked citizens to design"


def test_saving_a_memo_keeps_the_focus_on_save(page, opened):
    _tab_to(page, "document.activeElement.id === 'panel-memo'")
    page.keyboard.type("Citizens as designers")
    page.keyboard.press("Tab")
    assert _focused_text(page) == "Save memo"
    page.evaluate("document.getElementById('coding-panel').dataset.old = 'yes'")
    page.keyboard.press("Enter")
    page.wait_for_selector("#coding-panel:not([data-old])")  # swapped
    page.wait_for_function("document.activeElement.tagName === 'BUTTON'")
    assert page.locator("#panel-memo").input_value() == "Citizens as designers"
    assert _focused_text(page) == "Save memo"
    opened.refresh_from_db()
    assert opened.memo == "Citizens as designers"


def test_deleting_a_coding_returns_the_focus_to_its_words(page, opened):
    _tab_to(page, "document.activeElement.textContent.trim() === 'Delete coding'")
    page.keyboard.press("Enter")
    page.wait_for_selector(".stripe", state="detached")
    page.wait_for_function("document.activeElement.id === 'transcript'")
    assert not Coding.objects.exists()
    assert page.evaluate("window.getSelection().toString()") == "asked citizens"
    page.keyboard.press("1")  # the words are selected: a shortcut codes them again
    page.wait_for_selector(".stripe")
    assert Coding.objects.get().quote == "asked citizens"
