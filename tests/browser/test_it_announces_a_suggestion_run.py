"""A suggestion run started by keyboard: its outcome is said, its new list gets the focus."""

from codebook.models import SuggestionRun
from codebook.suggestion_runs import execute_run, start_run
from tests.suggest_data import give_terms

STATUS_LINE = "document.querySelector('[role=status] #status').textContent"


def test_a_run_is_announced_and_its_suggestions_take_the_focus(
    page, open_workbench, bob, interview, codes, settings
):
    # The run waits for the test to carry it out, as it waits for the worker in use, so the
    # page polls its progress and reloads the list when it ends.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    give_terms(codes)
    open_workbench(bob, interview)
    page.goto(interview.get_absolute_url() + "?suggestions=1")
    page.wait_for_selector("#workbench[data-ready=true]")
    page.get_by_label("Codebook terms").focus()
    page.keyboard.press("Tab")  # the "For" choices
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Suggest"
    page.keyboard.press("Enter")

    page.wait_for_selector("#run-progress[data-status=queued]")
    page.wait_for_function(f"{STATUS_LINE}.includes('Waiting for the worker')")
    run = SuggestionRun.objects.get()
    execute_run(run)
    assert run.suggested >= 1

    page.wait_for_selector("#suggestion-list li[data-suggestion]")
    page.wait_for_function(f"{STATUS_LINE}.includes('suggestion')")
    said = page.evaluate(STATUS_LINE)
    assert "Done" in said
    assert f"{run.suggested} suggestion{'s' if run.suggested != 1 else ''} made" in said
    # The Suggest button went with the old panel: the focus is on the first suggestion.
    first = page.locator("#suggestion-list li[data-suggestion]").first.get_attribute(
        "data-suggestion"
    )
    page.wait_for_function("document.activeElement.dataset.suggestion !== undefined")
    assert page.evaluate("document.activeElement.dataset.suggestion") == first


def test_the_run_page_says_how_the_run_ended(page, sign_in, study, bob, interview, codes, settings):
    # The standalone page polls the run as the workbench does; its status line, outside
    # the polled region, says the outcome once the run ends.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    give_terms(codes)
    run = start_run(study, bob, "terms", interview=interview, requested_by=bob)
    sign_in("bob", "pw-bob")
    page.goto(f"/s/pilot/suggestions/runs/{run.pk}/")
    said = page.locator("#run-said")
    assert said.get_attribute("role") == "status"
    assert said.text_content() == ""  # what the page shows on arrival is not news

    # A link in the polled region keeps the focus when a poll replaces the region.
    page.get_by_role("link", name="back to the interview").focus()
    page.evaluate("document.getElementById('run-progress').dataset.seen = '1'")
    page.wait_for_selector("#run-progress:not([data-seen])", state="attached")
    assert page.evaluate("document.activeElement.textContent") == "back to the interview"
    execute_run(run)

    said.filter(has_text="made").wait_for(state="attached")
    words = said.text_content()
    assert words.startswith("Codebook terms, this interview: Done")
    assert words.endswith(f"{run.suggested} suggestion{'s' if run.suggested != 1 else ''} made.")
    assert page.evaluate("document.activeElement.textContent") == "back to the interview"
