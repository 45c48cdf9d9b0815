"""Playwright for Python driving Debian's Chromium against the live test server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls
# the tests make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium")
    if executable is None:
        message = "Debian's Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + ": browser tests must run in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, transactional_db):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1400, "height": 900}
    )
    # Generous: CI machines are shared, and a slow step must not read as a failure.
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    def sign_in(username, password):
        page.goto("/accounts/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        return page

    return sign_in


# Where a phrase sits on screen: the rectangles of its first and last characters.
_PHRASE_BOX = """
([words, until]) => {
  const root = document.getElementById("transcript");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest(".spoken")) continue;
    nodes.push([walker.currentNode, text.length]);
    text += walker.currentNode.data;
  }
  const at = (offset) => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
    }
  };
  const index = text.indexOf(words);
  if (index < 0) return null;
  const stop = until ? text.indexOf(until, index) + until.length : index + words.length;
  if (stop < index) return null;
  const box = (offset) => {
    const range = document.createRange();
    const [node, local] = at(offset);
    range.setStart(node, local);
    range.setEnd(node, local + 1);
    const r = range.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  return { first: box(index), last: box(stop - 1) };
}
"""


@pytest.fixture
def drag_select(page):
    """Drag the mouse over a phrase, from inside its first letter to inside its last."""

    def drag(words, until=None):
        """Drag over ``words``, or from ``words`` to the end of ``until`` in a later turn."""
        page.locator(".spoken").first.scroll_into_view_if_needed()
        box = page.evaluate(_PHRASE_BOX, [words, until])
        assert box is not None, f"{words!r} is not on the page"
        first, last = box["first"], box["last"]
        page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
        page.mouse.down()
        page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=5)
        page.mouse.up()
        if page.locator("#picker").count():
            page.wait_for_selector("#picker-filter:focus")  # the code picker has opened

    return drag


@pytest.fixture
def open_workbench(page, sign_in):
    """Sign in and open the workbench of an interview, waiting for its script."""

    def open_(user, interview):
        sign_in(user.username, "pw-" + user.username)
        page.goto(interview.get_absolute_url())
        page.wait_for_selector("#workbench[data-ready=true]")
        return page

    return open_
