"""Changes made faster than the server answers: each one is sent, in the order made."""

import threading

import pytest

from codebook import codings
from codebook.models import Coding
from tests.browser.test_it_codes_by_keyboard import _tab_to_transcript

STATUS = "document.getElementById('status').textContent"


@pytest.fixture
def held_first(monkeypatch):
    """Hold the first call of ``codings.<name>`` at the server until the test lets it go."""
    gate, arrived = threading.Event(), threading.Event()

    def hold(name):
        real = getattr(codings, name)
        calls = []

        def held(*args, **kwargs):
            calls.append(name)
            if len(calls) == 1:
                arrived.set()
                gate.wait(timeout=60)
            return real(*args, **kwargs)

        monkeypatch.setattr(codings, name, held)
        return calls

    def release():
        """Once the first call is held, let it go: the page made the others meanwhile."""
        assert arrived.wait(timeout=20)
        gate.set()

    yield hold, release
    gate.set()


def test_codes_applied_by_key_while_the_first_is_out_are_all_made(
    page, open_workbench, held_first, bob, interview, codes
):
    hold, release = held_first
    calls = hold("apply_code")
    open_workbench(bob, interview)
    _tab_to_transcript(page)
    for key in ["1", "3", "1"]:  # Sensemaking, Inhibitor, Sensemaking: one sentence each
        page.keyboard.press("j")
        page.keyboard.press(key)
    release()
    page.wait_for_function("document.querySelectorAll('.stripe').length === 3")
    assert len(calls) == 3
    made = Coding.objects.order_by("start").values_list("code__name", flat=True)
    assert list(made) == ["Sensemaking", "Inhibitor", "Sensemaking"]


def test_undo_pressed_three_times_undoes_three_steps(
    page, open_workbench, held_first, bob, interview, codes
):
    open_workbench(bob, interview)
    _tab_to_transcript(page)
    for _ in range(3):
        page.keyboard.press("j")
        page.keyboard.press("1")
        page.wait_for_function(f"{STATUS}.startsWith('Coded')")
        page.evaluate("document.getElementById('status').textContent = ''")
    assert Coding.objects.count() == 3
    hold, release = held_first
    calls = hold("undo")
    page.locator("#transcript").focus()
    for _ in range(3):
        page.keyboard.press("Control+z")
    release()
    page.wait_for_function("document.querySelectorAll('.stripe').length === 0")
    assert len(calls) == 3
    assert Coding.objects.count() == 0
