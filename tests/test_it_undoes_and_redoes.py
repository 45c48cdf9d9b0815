"""Undo and redo: server-side, per coder and interview, so they survive a reload."""

import pytest
from django.urls import reverse

from codebook import codings, tree
from codebook.codings import CodingRefused
from codebook.models import Code, Coding, CodingAction
from tests.conftest import change_of, passage_of


def _post(client, interview, name, **data):
    args = [interview.study.slug, interview.pk]
    return client.post(reverse(name, args=args), data, headers={"HX-Request": "true"})


@pytest.fixture
def coded(interview, codes, bob):
    start, end = passage_of(interview.text, "We asked citizens")
    coding, _ = codings.apply_code(interview, bob, codes["sensemaking"], start, end)
    return coding


def test_undo_removes_a_new_coding_and_redo_brings_it_back(client, bob, interview, coded):
    client.force_login(bob)
    _post(client, interview, "coding-undo")
    assert not Coding.objects.exists()
    _post(client, interview, "coding-redo")
    again = Coding.objects.get()
    assert (again.pk, again.start, again.end, again.quote) == (
        coded.pk,
        coded.start,
        coded.end,
        "We asked citizens",
    )


def test_undo_restores_a_deleted_coding_with_its_memo(client, bob, interview, coded):
    client.force_login(bob)
    codings.change_coding(coded, interview, bob, memo="Shared design.")
    args = [interview.study.slug, interview.pk, coded.pk]
    client.post(reverse("coding-delete", args=args))
    assert not Coding.objects.exists()

    response = _post(client, interview, "coding-undo")

    restored = Coding.objects.get()
    assert (restored.pk, restored.memo) == (coded.pk, "Shared design.")
    assert [c["id"] for c in change_of(response)["upsert"]] == [coded.pk]
    _post(client, interview, "coding-redo")
    assert not Coding.objects.exists()


def test_undo_reverses_a_change_of_code_and_boundaries(interview, codes, bob, coded):
    codings.change_coding(coded, interview, bob, code=codes["inhibitor"])
    codings.change_coding(coded, interview, bob, start=coded.start - 3)
    codings.undo(interview, bob)
    codings.undo(interview, bob)
    coded.refresh_from_db()
    assert (coded.code, coded.quote) == (codes["sensemaking"], "We asked citizens")


def test_a_new_change_forgets_what_was_undone(interview, codes, bob, coded):
    codings.undo(interview, bob)
    start, end = passage_of(interview.text, "frontline staff")
    codings.apply_code(interview, bob, codes["inhibitor"], start, end)
    assert codings.redo(interview, bob) == []
    assert list(Coding.objects.values_list("quote", flat=True)) == ["frontline staff"]


def test_each_coder_undoes_only_their_own_changes(interview, codes, bob, carol, coded):
    start, end = passage_of(interview.text, "frontline staff")
    codings.apply_code(interview, carol, codes["inhibitor"], start, end)
    codings.undo(interview, bob)
    assert list(Coding.objects.values_list("coder__username", flat=True)) == ["carol"]
    assert codings.undo(interview, bob) == []


def test_nothing_to_undo_says_so(client, carol, interview, coded):
    client.force_login(carol)
    response = _post(client, interview, "coding-undo")
    assert "Nothing to undo." in response.content.decode()
    assert Coding.objects.count() == 1


def _merge_away_the_code_of_the_last_step():
    """Stand for a code merged away since the last step: it can no longer be replayed."""
    step = CodingAction.objects.latest("pk")
    state = "after" if step.undone else "before"
    setattr(step, state, {**getattr(step, state), "code": 999999})
    step.save()


def test_an_undo_that_cannot_apply_changes_nothing_and_drops_the_step(interview, codes, bob, coded):
    codings.change_coding(coded, interview, bob, memo="Shared design.")
    codings.delete_coding(coded, interview, bob)
    _merge_away_the_code_of_the_last_step()
    with pytest.raises(CodingRefused, match="cannot be reversed any more"):
        codings.undo(interview, bob)
    assert not Coding.objects.exists()
    assert codings.history_depth(interview, bob) == {"undo": 2, "redo": 0}


def test_undo_does_not_put_a_coding_on_a_code_made_grouping_only_since(
    interview, codes, bob, alice, coded
):
    codings.delete_coding(coded, interview, bob)
    # With no codings left, the code may become a heading for others.
    tree.edit_code(codes["sensemaking"], alice, codes["sensemaking"].version, grouping_only=True)
    with pytest.raises(CodingRefused, match="cannot be reversed any more"):
        codings.undo(interview, bob)
    assert not Coding.objects.filter(code=codes["sensemaking"]).exists()


def test_after_a_step_is_dropped_the_earlier_ones_can_still_be_undone(
    client, bob, interview, codes, coded
):
    start, end = passage_of(interview.text, "frontline staff")
    second, _ = codings.apply_code(interview, bob, codes["inhibitor"], start, end)
    codings.delete_coding(second, interview, bob)
    _merge_away_the_code_of_the_last_step()
    client.force_login(bob)

    dropped = _post(client, interview, "coding-undo")
    change = change_of(dropped)
    assert change["error"] is True
    assert "cannot be reversed any more" in change["message"]
    assert change["history"] == {"undo": 2, "redo": 0}  # the page sets its counts to these

    # The steps before it are reached: the second coding's creation, then the first's.
    _post(client, interview, "coding-undo")
    _post(client, interview, "coding-undo")
    assert not Coding.objects.exists()
    assert codings.history_depth(interview, bob) == {"undo": 0, "redo": 2}
    _post(client, interview, "coding-redo")
    assert Coding.objects.get().pk == coded.pk


def test_a_redo_that_cannot_apply_drops_the_steps_undone_after_it(interview, codes, bob, coded):
    codings.change_coding(coded, interview, bob, memo="Shared design.")
    codings.undo(interview, bob)
    codings.undo(interview, bob)
    first_undone = CodingAction.objects.order_by("pk").first()
    first_undone.after = {**first_undone.after, "code": 999999}
    first_undone.save()
    with pytest.raises(CodingRefused, match="cannot be made again"):
        codings.redo(interview, bob)
    assert not Coding.objects.exists()
    assert codings.history_depth(interview, bob) == {"undo": 0, "redo": 0}


def test_history_depth_counts_both_ways(interview, bob, coded):
    assert codings.history_depth(interview, bob) == {"undo": 1, "redo": 0}
    codings.undo(interview, bob)
    assert codings.history_depth(interview, bob) == {"undo": 0, "redo": 1}


def test_the_log_goes_with_its_interview(interview, bob, coded):
    Coding.objects.all().delete()
    interview.delete()
    assert not CodingAction.objects.exists()
    assert Code.objects.exists()


def test_each_answer_says_how_the_undo_log_moved(client, bob, interview, codes, coded):
    client.force_login(bob)
    undone = _post(client, interview, "coding-undo")
    redone = _post(client, interview, "coding-redo")
    nothing_left = _post(client, interview, "coding-redo")
    assert change_of(undone)["history"] == "undo"
    assert change_of(redone)["history"] == "redo"
    # Nothing to redo: the counts as they are, for a page another tab has left behind.
    assert change_of(nothing_left)["history"] == {"undo": 1, "redo": 0}
    assert change_of(undone)["suggestions"] and change_of(redone)["suggestions"]


def test_the_page_shows_how_many_steps_can_be_undone(client, bob, interview, coded):
    client.force_login(bob)
    html = client.get(interview.get_absolute_url()).content.decode()
    assert '<span class="steps" data-steps="undo">(1)</span>' in html
    assert '<span class="steps" data-steps="redo">(0)</span>' in html
