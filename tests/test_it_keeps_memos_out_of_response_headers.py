"""A long memo, or many codings, never go into a response header.

The workbench's answers once carried every changed coding, memo and all, in an
``HX-Trigger`` header: past a few kilobytes proxies (nginx) refuse such a response,
past 256 KB Chromium does, and the page kept showing the old coding although the
server had saved the change. The codings now travel in the answer's body, and a
coding's memo has a maximum length, refused with a message.
"""

import pytest
from django.urls import reverse

from codebook.models import MEMO_MAX_LENGTH, Coding
from tests.conftest import change_of

# Far below what any proxy refuses; a header that grows with user text passes it.
SMALL_HEADERS = 1024


@pytest.fixture
def coding(interview, codes, bob, make_coding):
    return make_coding(interview, codes["sensemaking"], bob, "We asked citizens")


def _post(client, coding, data):
    args = [coding.interview.study.slug, coding.interview.pk, coding.pk]
    return client.post(reverse("coding-change", args=args), data, headers={"HX-Request": "true"})


def _header_bytes(response) -> int:
    return sum(len(name) + len(value) for name, value in response.headers.items())


def test_a_long_memo_and_later_moves_answer_with_small_headers(client, bob, coding):
    client.force_login(bob)
    memo = "Thinking aloud. " * (MEMO_MAX_LENGTH // 16)
    saved = _post(client, coding, {"memo": memo})
    assert _header_bytes(saved) < SMALL_HEADERS
    assert change_of(saved)["upsert"][0]["memo"] == memo.strip()

    for _ in range(2):
        moved = _post(client, coding, {"edge": "end", "unit": "word", "step": "1"})
        assert _header_bytes(moved) < SMALL_HEADERS
    coding.refresh_from_db()
    shown = change_of(moved)["upsert"][0]
    assert (shown["start"], shown["end"]) == (coding.start, coding.end)
    assert coding.quote == "We asked citizens to design"


def test_a_memo_over_the_limit_is_refused_with_a_message(client, bob, coding):
    client.force_login(bob)
    memo = "x" * (MEMO_MAX_LENGTH + 1)
    response = _post(client, coding, {"memo": memo})
    change = change_of(response)
    assert change["error"] is True
    assert f"up to {MEMO_MAX_LENGTH:,} characters" in change["message"]
    assert f"{MEMO_MAX_LENGTH + 1:,}" in change["message"]
    # Nothing to draw, so the page keeps the panel and the memo typed in it.
    assert change["upsert"] == []
    coding.refresh_from_db()
    assert coding.memo == ""


def test_a_memo_at_the_limit_is_saved(client, bob, coding):
    client.force_login(bob)
    _post(client, coding, {"memo": "y" * MEMO_MAX_LENGTH})
    assert len(Coding.objects.get().memo) == MEMO_MAX_LENGTH


def test_the_panel_says_how_long_a_memo_may_be(client, bob, coding):
    client.force_login(bob)
    response = client.get(coding.interview.get_absolute_url(), {"coding": coding.pk})
    assert f"Up to {MEMO_MAX_LENGTH:,} characters." in response.content.decode()
