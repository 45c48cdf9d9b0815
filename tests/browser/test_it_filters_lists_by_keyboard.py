"""Filter drop-downs on the workbench: arrowing through one refreshes its list once, when the
keyboard user settles, keeps the focus there and says the count once; a mouse choice refreshes
at once."""

from urllib.parse import parse_qs, urlparse

from codebook.models import Coding
from tests.suggest_data import give_terms, run_terms

# Counts htmx's requests, and notes for each `change` whether one was sent while the event
# was being handled (the window hears it first while capturing and last while bubbling).
WATCH = """() => {
  window.sent = 0;
  window.sentDuringChange = [];
  document.body.addEventListener("htmx:beforeRequest", () => window.sent++);
  let before = 0;
  window.addEventListener("change", () => { before = window.sent; }, true);
  window.addEventListener("change", () => { window.sentDuringChange.push(window.sent > before); });
  window.statusSaid = [];
  new MutationObserver(() => {
    const words = document.getElementById("status")?.textContent.trim();
    if (words) window.statusSaid.push(words);
  }).observe(document.querySelector(".status-region"), {
    childList: true, subtree: true, characterData: true,
  });
}"""

COUNT = "document.querySelector('#coding-list [data-count]')?.textContent.trim()"


def _params(url):
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def _listen(page, part):
    """Return the list the queries of the page's requests for ``part`` will be added to."""
    seen = []
    page.on(
        "request",
        lambda request: (
            seen.append(_params(request.url)) if _params(request.url).get("part") == part else None
        ),
    )
    return seen


def _said_once(page):
    page.wait_for_function("window.statusSaid.length > 0")
    return page.evaluate("window.statusSaid")


def test_arrowing_through_the_code_filter_refreshes_the_list_once(page, open_workbench, coded, bob):
    open_workbench(bob, coded)
    page.wait_for_selector("#list-filter")
    page.evaluate(WATCH)
    seen = _listen(page, "coding-list")
    choice = page.get_by_label("Code (with sub-codes)")
    wanted = choice.evaluate("el => el.options[3].value")
    choice.focus()
    with page.expect_response(lambda r: _params(r.url).get("code") == wanted):
        for _ in range(3):
            page.keyboard.press("ArrowDown")
    page.wait_for_function(COUNT + " === '1 coding.'")  # bob's one coding of Identity work

    assert [query.get("code") for query in seen] == [wanted]
    assert page.evaluate("window.sentDuringChange") == [False, False, False]
    # The drop-down keeps the focus, its label and its value; the count is said once.
    assert page.evaluate("document.activeElement.id") == "list-code"
    assert page.get_by_label("Code (with sub-codes)").input_value() == wanted
    assert _said_once(page) == ["1 coding."]


def test_a_mouse_choice_refreshes_the_list_at_once(page, open_workbench, coded, bob, codes):
    open_workbench(bob, coded)
    page.wait_for_selector("#list-filter")
    page.evaluate(WATCH)
    seen = _listen(page, "coding-list")
    identity = str(codes["identity"].pk)
    with page.expect_response(lambda r: _params(r.url).get("code") == identity):
        page.get_by_label("Code (with sub-codes)").select_option(identity)
    assert page.evaluate("window.sentDuringChange") == [True]
    assert [query.get("code") for query in seen] == [identity]
    page.wait_for_function(COUNT + " === '1 coding.'")
    assert _said_once(page) == ["1 coding."]


def test_arrowing_through_the_suggestion_filter_refreshes_it_once(
    page, open_workbench, bob, interview, codes
):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    open_workbench(bob, interview)
    page.goto(interview.get_absolute_url() + "?suggestions=1")
    page.wait_for_selector("#workbench[data-ready=true]")
    page.evaluate(WATCH)
    seen = _listen(page, "suggestions")
    choice = page.get_by_label("Code", exact=True)
    wanted = choice.evaluate("el => el.options[el.options.length - 1].value")
    steps = choice.evaluate("el => el.options.length - 1")
    assert steps >= 2 and wanted == str(codes["inhibitor"].pk)
    choice.focus()
    with page.expect_response(lambda r: _params(r.url).get("scode") == wanted):
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "[...document.querySelectorAll('#suggestion-list li[data-suggestion]')]"
        f".every((li) => li.querySelector('strong').textContent === {codes['inhibitor'].name!r})"
    )

    assert [query.get("scode") for query in seen] == [wanted]
    assert page.evaluate("document.activeElement.id") == "suggestion-code"
    assert page.get_by_label("Code", exact=True).input_value() == wanted
    count = page.locator("#suggestion-count").text_content().strip()
    assert _said_once(page) == [count]


def test_paging_the_list_replaces_it_instead_of_nesting_it(
    page, open_workbench, bob, interview, codes
):
    text = interview.text
    Coding.objects.bulk_create(
        Coding(
            interview=interview,
            code=codes["inhibitor"],
            coder=bob,
            start=start,
            end=start + 5,
            quote=text[start : start + 5],
        )
        for start in range(text.index("We asked"), text.index("We asked") + 55)
    )
    open_workbench(bob, interview)
    page.get_by_role("link", name="Next").click()
    page.get_by_text("Page 2 of 2").wait_for()
    assert page.locator("[id=coding-list]").count() == 1
    assert page.locator("#coding-list ol li").count() == 5
