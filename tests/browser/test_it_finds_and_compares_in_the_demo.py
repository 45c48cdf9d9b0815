"""The issue's walk-through in the demo study, as a new user would do it, mostly by keyboard."""

from pathlib import Path

from django.core.management import call_command

from codebook.models import Code, Origin


def _tab_to(page, locator, presses=80):
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError("the keyboard never reached the control")


def test_it_auto_codes_citizens_after_unticking_two_hits(page, sign_in):
    call_command("load_demo", verbosity=0)
    sign_in("owner", "coprod-demo")
    page.get_by_role("link", name="Co-production seen from the top (demo)").click()
    page.get_by_role("link", name="Search the transcripts").click()
    page.get_by_label("Words or phrase").fill("citizens")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="hits for “citizens”").wait_for()
    boxes = page.get_by_role("checkbox", name="Interview with Manager")
    total = boxes.count()
    assert total > 10
    for index in (0, 2):
        _tab_to(page, boxes.nth(index))
        page.keyboard.press("Space")
    assert not boxes.nth(0).is_checked() and boxes.nth(1).is_checked()
    page.get_by_label("…or a new code named").fill("Citizens as partners")
    page.get_by_role("button", name="Code the ticked hits").click()
    page.get_by_role("status").filter(has_text="with “Citizens as partners”").wait_for()
    code = Code.objects.get(name="Citizens as partners")
    assert code.codings.filter(origin=Origin.SEARCH).count() == total - 2
    assert page.locator(".segment").count() == min(total - 2, 25)


def test_it_finds_identity_work_with_an_inhibitor_and_shows_the_heat_map(page, sign_in):
    call_command("load_demo", verbosity=0)
    sign_in("owner", "coprod-demo")
    page.goto("/s/demo/segments/")
    page.get_by_label("Codes (with their sub-codes)").select_option(
        label="Theoretical lenses/Identity work"
    )
    page.get_by_label("…together with each of these codes (AND)").select_option(
        label="Implementation effect/Inhibitor"
    )
    page.get_by_label("“Together” means").select_option(label="The same speaker turn")
    page.get_by_role("button", name="Show segments").click()
    page.wait_for_url("**with_code=*")
    counts = page.get_by_role("table", name="Segments per code")
    counts.get_by_role("cell", name="Theoretical lenses/Identity work").wait_for()
    assert page.locator(".segment").count() > 0
    assert page.locator("form.filter-form").count() == 1
    page.get_by_role("link", name="Co-occurrence").first.click()
    heat_map = page.get_by_role("img", name="Codes that occur together in overlapping passages")
    heat_map.wait_for()
    with page.expect_download() as download:
        page.goto("/s/demo/report/")
        page.get_by_role("link", name="Download as Markdown").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Methods report: Co-production seen from the top (demo)\n")
    assert "interview transcripts" in text
