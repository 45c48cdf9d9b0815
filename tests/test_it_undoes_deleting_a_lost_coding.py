"""Deleting a lost coding on the review page is undone from the interview's page.

A lost coding sits on a one-character placeholder span (often a space) with its old
words in ``lost_quote``; undo brings it back exactly so, still to review.
"""

import pytest
from django.urls import reverse

from codebook import codings
from codebook.models import Coding, CodingAction
from interviews.corrections import correct_transcript
from tests.conftest import change_of

BUDGET = "The budget was tight, and the targets did not help."


@pytest.fixture
def lost(interview, alice, bob, codes, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, BUDGET, memo="Money again.")
    correct_transcript(interview, interview.text.replace(" " + BUDGET, ""), alice, 1)
    coding.refresh_from_db()
    assert coding.anchor_status == "lost"
    return coding


def _delete_on_the_review_page(client, user, coding):
    client.force_login(user)
    url = reverse("review-anchor", args=[coding.interview.study.slug, coding.pk])
    return client.post(url, {"action": "delete"}, headers={"HX-Request": "true"})


def _post(client, interview, name):
    url = reverse(name, args=[interview.study.slug, interview.pk])
    return client.post(url, {"revision": interview.revision}, headers={"HX-Request": "true"})


def test_undo_brings_a_deleted_lost_coding_back_lost(client, bob, lost):
    placeholder = (lost.start, lost.end, lost.quote)
    response = _delete_on_the_review_page(client, bob, lost)
    assert "Undo on the interview" in response.content.decode()
    assert not Coding.objects.exists()
    interview = lost.interview
    interview.refresh_from_db()

    response = _post(client, interview, "coding-undo")

    change = change_of(response)
    assert change["error"] is False
    assert change["remove"] == [lost.pk]  # not drawn: the workbench shows no lost codings
    assert change["history"] == "undo"
    back = Coding.objects.get()
    assert (back.pk, back.anchor_status, back.lost_quote, back.memo) == (
        lost.pk,
        "lost",
        BUDGET,
        "Money again.",
    )
    assert (back.start, back.end, back.quote) == placeholder
    review = client.get(reverse("review-anchors", args=[interview.study.slug]))
    assert BUDGET in review.content.decode()


def test_redo_deletes_it_again(client, bob, lost):
    _delete_on_the_review_page(client, bob, lost)
    interview = lost.interview
    interview.refresh_from_db()
    _post(client, interview, "coding-undo")
    _post(client, interview, "coding-redo")
    assert not Coding.objects.exists()
    assert codings.history_depth(interview, bob) == {"undo": 1, "redo": 0}


def test_a_supervisor_deleting_another_coders_lost_coding_leaves_no_step(client, sam, lost):
    response = _delete_on_the_review_page(client, sam, lost)
    assert "Coding deleted." in response.content.decode()
    assert not Coding.objects.exists()
    assert not CodingAction.objects.exists()
