"""Answers that make several parts of the workbench fetch themselves again, in quick
succession: every part ends up current, none misses its refresh."""

import threading

import pytest

from codebook.models import Code, Suggestion
from codebook.suggestion_decisions import accept_suggestion
from codebook.views import workbench as workbench_views
from tests.suggest_data import give_terms, run_terms

LISTED = "document.querySelectorAll('#suggestion-list li[data-suggestion]').length"
STATUS = "document.getElementById('status').textContent"


# For each part, the most requests htmx has had out for it at once.
WATCH_PARTS = """() => {
  const out = {};
  window.mostOut = {};
  const part = (event) =>
    new URL(event.detail.requestConfig.path, location.href).searchParams.get("part");
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const name = part(event);
    if (!name) return;
    out[name] = (out[name] || 0) + 1;
    window.mostOut[name] = Math.max(window.mostOut[name] || 0, out[name]);
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const name = part(event);
    if (name) out[name] -= 1;
  });
}"""


@pytest.fixture
def held_parts(monkeypatch):
    """Hold the workbench's part requests at the server until the test lets them go."""
    gate = threading.Event()
    gate.set()
    render = workbench_views.render

    def held(request, *args, **kwargs):
        if request.GET.get("part"):
            gate.wait(timeout=60)
        return render(request, *args, **kwargs)

    monkeypatch.setattr(workbench_views, "render", held)
    yield gate
    gate.set()


def test_refreshes_asked_for_while_others_wait_all_arrive(
    page, open_workbench, held_parts, drag_select, study, bob, interview, codes
):
    study.open_coding = True
    study.save()
    give_terms(codes)
    run_terms(study, bob, interview)
    offered = Suggestion.objects.filter(coder=bob, status="open").order_by("start", "pk")
    count = offered.count()
    accepted = accept_suggestion(offered.first(), interview, bob)
    open_workbench(bob, interview)
    page.goto(f"{interview.get_absolute_url()}?suggestions=1&list=1&coding={accepted.pk}")
    page.wait_for_selector("#workbench[data-ready=true]")
    page.wait_for_selector("#list-filter")
    assert page.evaluate(LISTED) == count - 1

    page.evaluate(WATCH_PARTS)
    held_parts.clear()
    # Deleting the open coding asks for the panel, the suggestions (the coding's suggestion
    # is open again) and the list; while they are held, a new in-vivo code asks for the
    # sidebar and the list again.
    page.get_by_role("button", name="Delete coding").click()
    page.wait_for_function(f"{STATUS}.includes('deleted (undo brings it back)')")
    drag_select("I had to learn to let go")
    page.get_by_role("button", name="In-vivo code").click()
    page.wait_for_function(f"{STATUS}.startsWith('New code')")
    held_parts.set()

    new_code = Code.objects.get(study=study, name__icontains="let go")
    page.wait_for_selector(f"#sidebar [data-code-id='{new_code.pk}']", state="attached")
    page.wait_for_function(f"{LISTED} === {count}")
    page.wait_for_selector("#coding-panel:has-text('Open a coding from its stripe')")
    page.wait_for_selector(f"#coding-list li:has-text('{new_code.name}')")
    assert page.locator("#coding-list [data-count]").text_content() == "1 coding."
    assert page.locator("[id=coding-list]").count() == 1
    # Each part still has one request out at a time, so an older answer never lands last.
    assert page.evaluate("window.mostOut") == {
        "coding-panel": 1,
        "suggestions": 1,
        "coding-list": 1,
        "sidebar": 1,
    }
