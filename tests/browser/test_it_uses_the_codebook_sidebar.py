"""The codebook sidebar: apply a code by clicking it, filter, collapse, add a sub-code in place."""

from codebook.models import Code, Coding
from tests.conftest import passage_of


def test_clicking_a_code_applies_it_and_updates_the_counts(
    page, open_workbench, drag_select, bob, interview, codes
):
    open_workbench(bob, interview)
    drag_select("frontline staff")
    page.keyboard.press("Escape")
    page.wait_for_selector("#picker", state="hidden")
    page.locator("#code-tree").get_by_role("button", name="Inhibitor").click()
    page.wait_for_selector(".stripe")
    inhibitor = codes["inhibitor"].pk
    assert page.locator(f'[data-count-here="{inhibitor}"]').text_content() == "1"
    assert page.locator(f'[data-count-study="{inhibitor}"]').text_content() == "1"
    coding = Coding.objects.get()
    assert (coding.start, coding.end) == passage_of(interview.text, "frontline staff")


def test_the_filter_keeps_matches_and_their_parents(page, open_workbench, bob, interview, codes):
    open_workbench(bob, interview)
    page.get_by_label("Filter codes").fill("sense")
    tree = page.locator("#code-tree")
    assert tree.get_by_role("button", name="Sensemaking").is_visible()
    assert tree.get_by_text("Theoretical lenses", exact=True).is_visible()
    assert not tree.get_by_role("button", name="Inhibitor").is_visible()
    assert not tree.get_by_role("button", name="Identity work").is_visible()


def test_a_branch_collapses_and_expands(page, open_workbench, bob, interview, codes):
    open_workbench(bob, interview)
    toggle = page.get_by_role("button", name="Sub-codes of Theoretical lenses")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("button", name="Identity work").is_visible()
    toggle.press("Enter")
    assert page.get_by_role("button", name="Identity work").is_visible()


def test_a_supervisor_adds_a_sub_code_without_leaving_the_page(
    page, open_workbench, sam, interview, codes
):
    open_workbench(sam, interview)
    url = page.url
    page.get_by_text("Add a code").click()
    page.get_by_label("Name", exact=True).fill("Trust <b>")
    page.get_by_label("Under", exact=True).select_option(label="Theoretical lenses")
    page.get_by_role("button", name="Add code").click()
    page.locator("#code-tree").get_by_role("button", name="Trust <b>").wait_for()
    assert page.url == url
    assert Code.objects.get(name="Trust <b>").parent == codes["lenses"]
