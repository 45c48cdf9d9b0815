"""Suggestions in the workbench, by keyboard: dashed outlines, Enter accepts, Delete rejects."""

from codebook.models import Coding, Suggestion
from tests.suggest_data import give_terms, run_terms


def _open_with_suggestions(page, open_workbench, bob, interview):
    open_workbench(bob, interview)
    page.goto(interview.get_absolute_url() + "?suggestions=1")
    page.wait_for_selector("#workbench[data-ready=true]")
    page.wait_for_selector(".seg.sug")


def test_it_accepts_and_rejects_suggestions_by_keyboard(
    page, open_workbench, bob, interview, codes
):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    offered = list(Suggestion.objects.filter(coder=bob).order_by("start", "-score", "pk"))
    assert len(offered) >= 2
    _open_with_suggestions(page, open_workbench, bob, interview)
    # Outlined with dashes in the transcript, not filled like codings.
    outline = page.locator(".seg.sug").first.evaluate("el => el.style.outlineStyle")
    assert outline == "dashed"
    assert page.get_by_text("Why: matched: budget, target").is_visible()

    first = page.locator("#suggestion-list li[data-suggestion]").first
    first.focus()
    page.keyboard.press("Enter")  # accept the first
    page.wait_for_selector(".stripe")
    page.wait_for_function(
        "document.querySelectorAll('#suggestion-list li[data-suggestion]').length"
        f" === {len(offered) - 1}"
    )
    # The focus stays in the list, on what is now the first open suggestion.
    assert page.evaluate("document.activeElement.dataset.suggestion") == str(offered[1].pk)
    page.keyboard.press("Delete")  # reject the next
    page.wait_for_function(
        "document.querySelectorAll('#suggestion-list li[data-suggestion]').length"
        f" === {len(offered) - 2}"
    )

    coding = Coding.objects.get()
    assert (coding.start, coding.end, coding.code_id) == (
        offered[0].start,
        offered[0].end,
        offered[0].code_id,
    )
    assert coding.origin == "suggestion"
    statuses = dict(Suggestion.objects.values_list("pk", "status"))
    assert statuses[offered[0].pk] == "accepted"
    assert statuses[offered[1].pk] == "rejected"


def test_undoing_an_accepted_suggestion_lists_it_again(page, open_workbench, bob, interview, codes):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    offered = Suggestion.objects.filter(coder=bob).count()
    _open_with_suggestions(page, open_workbench, bob, interview)
    listed = "document.querySelectorAll('#suggestion-list li[data-suggestion]').length"
    page.locator("#suggestion-list li[data-suggestion]").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"{listed} === {offered - 1}")
    page.locator("#transcript").focus()
    page.keyboard.press("Control+z")  # the database reopens the suggestion
    page.wait_for_function(f"{listed} === {offered}")
    assert page.locator("#suggestion-count").text_content().startswith(f"{offered} open")
    assert not Coding.objects.exists()


def test_arrow_keys_move_between_suggestions(page, open_workbench, bob, interview, codes):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    offered = list(Suggestion.objects.filter(coder=bob).order_by("start", "-score", "pk"))
    _open_with_suggestions(page, open_workbench, bob, interview)
    page.locator("#suggestion-list li[data-suggestion]").first.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.suggestion") == str(offered[1].pk)
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.dataset.suggestion") == str(offered[0].pk)
    assert not Coding.objects.exists()


def test_it_adjusts_a_suggestion_in_the_transcript_then_accepts(
    page, open_workbench, bob, interview, codes
):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    _open_with_suggestions(page, open_workbench, bob, interview)
    item = page.locator("#suggestion-list li[data-suggestion]").first
    item.focus()
    page.keyboard.press("e")  # select the passage in the transcript
    assert page.evaluate("document.activeElement.id") == "transcript"
    page.keyboard.press("Shift+K")  # shrink or move the selection by a sentence
    selection = page.evaluate("window.coprodWorkbench.selection()")
    page.keyboard.press("a")
    page.wait_for_selector(".stripe")
    coding = Coding.objects.get()
    assert (coding.start, coding.end) == (selection["start"], selection["end"])
    assert coding.origin == "suggestion"


def test_the_suggestions_layer_and_quality_page_pass_axe(
    page, open_workbench, sign_in, bob, sam, interview, codes
):
    from django.core.management import call_command

    from tests.browser.test_it_passes_axe import _serious_violations

    give_terms(codes)
    run_terms(interview.study, bob, interview)
    _open_with_suggestions(page, open_workbench, bob, interview)
    assert _serious_violations(page) == []
    call_command("evaluate_suggestions", interview.study.slug, "--suggester", "terms")
    page.context.clear_cookies()
    sign_in("sam", "pw-sam")
    page.goto(f"/s/{interview.study.slug}/suggestions/quality/")
    assert page.get_by_role("heading", name="Suggestion quality").is_visible()
    assert _serious_violations(page) == []
