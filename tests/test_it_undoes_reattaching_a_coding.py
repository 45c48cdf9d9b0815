"""Re-attaching or keeping one's own coding on the review page is undone from the interview's page.

Like every other change of a coder's codings, it is a step in that coder's undo log for
the interview. A supervisor settling another coder's coding writes no step: the log is
the coder's own.
"""

import pytest
from django.urls import reverse

from codebook import codings
from codebook.models import AnchorStatus, Coding, CodingAction
from interviews.corrections import correct_transcript
from tests.conftest import change_of

BUDGET = "The budget was tight, and the targets did not help."
NEW_PASSAGE = "My job became opening doors."


@pytest.fixture
def lost(interview, alice, bob, codes, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, BUDGET, memo="Money again.")
    correct_transcript(interview, interview.text.replace(" " + BUDGET, ""), alice, 1)
    coding.refresh_from_db()
    assert coding.anchor_status == AnchorStatus.LOST
    return coding


@pytest.fixture
def changed(interview, alice, bob, codes, make_coding):
    coding = make_coding(interview, codes["sensemaking"], bob, "I had to learn to let go.")
    text = interview.text.replace("learn to let", "learn, slowly, to let")
    correct_transcript(interview, text, alice, interview.revision)
    coding.refresh_from_db()
    assert coding.anchor_status == AnchorStatus.CHANGED
    return coding


def _settle_on_the_review_page(client, user, coding, **data):
    client.force_login(user)
    url = reverse("review-anchor", args=[coding.interview.study.slug, coding.pk])
    return client.post(url, data, headers={"HX-Request": "true"})


def _reattach(client, user, coding):
    return _settle_on_the_review_page(client, user, coding, action="reattach", passage=NEW_PASSAGE)


def _post(client, interview, name):
    interview.refresh_from_db()
    url = reverse(name, args=[interview.study.slug, interview.pk])
    return client.post(url, {"revision": interview.revision}, headers={"HX-Request": "true"})


def _as_stored(coding):
    coding = Coding.objects.get(pk=coding.pk)
    return (coding.start, coding.end, coding.quote, coding.anchor_status, coding.lost_quote)


def test_undo_puts_a_reattached_lost_coding_back_lost(client, bob, lost):
    before = _as_stored(lost)
    response = _reattach(client, bob, lost)
    assert "Undo on the interview" in response.content.decode()
    assert Coding.objects.get(pk=lost.pk).quote == NEW_PASSAGE

    change = change_of(_post(client, lost.interview, "coding-undo"))

    assert change["error"] is False
    assert change["history"] == "undo"
    assert _as_stored(lost) == before
    assert Coding.objects.get(pk=lost.pk).memo == "Money again."
    review = client.get(reverse("review-anchors", args=[lost.interview.study.slug]))
    assert BUDGET in review.content.decode()


def test_redo_reattaches_it_again(client, bob, lost):
    _reattach(client, bob, lost)
    _post(client, lost.interview, "coding-undo")
    _post(client, lost.interview, "coding-redo")
    assert _as_stored(lost)[2:] == (NEW_PASSAGE, AnchorStatus.OK, "")
    assert codings.history_depth(lost.interview, bob) == {"undo": 1, "redo": 0}


def test_undo_puts_a_reattached_changed_coding_back_on_its_surviving_words(client, bob, changed):
    before = _as_stored(changed)
    _reattach(client, bob, changed)
    _post(client, changed.interview, "coding-undo")
    assert _as_stored(changed) == before


def test_undo_takes_back_keeping_a_changed_coding_as_it_is(client, bob, changed):
    before = _as_stored(changed)
    response = _settle_on_the_review_page(client, bob, changed, action="accept")
    assert "Undo on the interview" in response.content.decode()
    assert _as_stored(changed)[3] == AnchorStatus.OK

    _post(client, changed.interview, "coding-undo")

    assert _as_stored(changed) == before


def test_a_supervisor_reattaching_another_coders_coding_leaves_no_step(client, sam, lost):
    response = _reattach(client, sam, lost)
    page = response.content.decode()
    assert f"Coding re-attached to “{NEW_PASSAGE}”." in page
    assert "Undo" not in page
    assert _as_stored(lost)[2:] == (NEW_PASSAGE, AnchorStatus.OK, "")
    assert not CodingAction.objects.exists()


def test_a_supervisor_reattaching_leaves_the_coders_redo_list_alone(
    client, bob, sam, lost, codes, interview
):
    # bob codes and undoes that: his redo list holds one step.
    start = interview.text.index("café")
    codings.apply_code(interview, bob, codes["sensemaking"], start, start + 4)
    codings.undo(interview, bob)
    _reattach(client, sam, lost)
    assert codings.history_depth(interview, bob) == {"undo": 0, "redo": 1}


def test_a_refused_reattachment_leaves_no_step(client, bob, lost):
    response = _settle_on_the_review_page(
        client, bob, lost, action="reattach", passage="Interviewer"
    )
    assert "occur 2 times" in response.content.decode()
    assert not CodingAction.objects.exists()
