"""Where a deleted or inserted stretch could be matched in several places, words stay whole."""

from interviews.anchoring import LOST, MOVED, reanchor


def span(text, words):
    start = text.index(words)
    return start, start + len(words)


def test_deleting_the_next_sentence_leaves_the_full_stop_of_the_one_before():
    old = "At the café. We met the staff. The budget was tight.\n\nNext."
    new = "At the cafe. We met the staff.\n\nNext."
    kept, lost = reanchor(
        old, new, [span(old, "We met the staff."), span(old, "The budget was tight.")]
    )
    assert kept.status == MOVED
    assert new[kept.start : kept.end] == "We met the staff."
    assert lost.status == LOST


def test_adding_a_sentence_after_a_coded_one_leaves_it_intact():
    old = "At the café. We met the staff. Then we left."
    new = "At the cafe. We met the staff. Indeed. Then we left."
    (result,) = reanchor(old, new, [span(old, "We met the staff.")])
    assert result.status == MOVED


def test_a_repeated_word_inserted_before_a_passage_leaves_the_passage_intact():
    old = "At the café. So the budget was tight."
    new = "At the cafe. So the the budget was tight."
    (result,) = reanchor(old, new, [span(old, "the budget")])
    assert result.status == MOVED
    assert new[result.start : result.end].endswith("the budget")
