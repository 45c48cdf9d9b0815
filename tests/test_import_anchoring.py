"""Re-anchoring coded passages after a transcript is corrected."""

import random

import pytest

from interviews.anchoring import (
    CHANGED,
    LOST,
    MOVED,
    Reanchored,
    match_texts,
    reanchor,
)

OLD = "Interviewer: Where did you grow up?\nP1: In Leeds, near the river.\n"


def span_of(text, passage):
    start = text.index(passage)
    return start, start + len(passage)


def test_it_keeps_a_passage_where_it_was_when_nothing_changed():
    span = span_of(OLD, "In Leeds")
    assert reanchor(OLD, OLD, [span]) == [Reanchored(*span, MOVED)]


def test_it_shifts_a_passage_after_an_insertion_before_it():
    new = OLD.replace("grow up?", "grow up, as a child?")
    [result] = reanchor(OLD, new, [span_of(OLD, "near the river")])
    assert result.status == MOVED
    assert new[result.start : result.end] == "near the river"


def test_it_does_not_move_a_passage_for_an_insertion_after_it():
    new = OLD + "Interviewer: Thanks.\n"
    span = span_of(OLD, "near the river.")
    assert reanchor(OLD, new, [span]) == [Reanchored(*span, MOVED)]


def test_it_leaves_out_an_insertion_right_at_the_passage_edges():
    new = OLD.replace("In Leeds", "Well, In Leeds, honestly")
    [result] = reanchor(OLD, new, [span_of(OLD, "In Leeds")])
    assert result.status == MOVED
    assert new[result.start : result.end] == "In Leeds"


def test_it_grows_a_passage_over_an_insertion_inside_it_and_flags_it():
    new = OLD.replace("Leeds, near", "Leeds, I think, near")
    [result] = reanchor(OLD, new, [span_of(OLD, "In Leeds, near the river")])
    assert result.status == CHANGED
    assert new[result.start : result.end] == "In Leeds, I think, near the river"


def test_it_keeps_the_surviving_part_of_a_partly_deleted_passage():
    new = OLD.replace("In Leeds, near", "Near")
    [result] = reanchor(OLD, new, [span_of(OLD, "In Leeds, near the river")])
    assert result.status == CHANGED
    assert new[result.start : result.end] == "ear the river"


def test_it_keeps_a_passage_whose_word_was_corrected_in_the_middle():
    new = OLD.replace("near the river", "near the canal, by the river")
    [result] = reanchor(OLD, new, [span_of(OLD, "near the river.")])
    assert result.status == CHANGED
    assert new[result.start : result.end] == "near the canal, by the river."


def test_it_reports_a_wholly_deleted_passage_as_lost():
    new = OLD.replace("P1: In Leeds, near the river.\n", "")
    assert reanchor(OLD, new, [span_of(OLD, "In Leeds")]) == [Reanchored(None, None, LOST)]


def test_it_reports_a_wholly_retyped_passage_as_lost():
    new = OLD.replace("In Leeds", "At York")
    [result] = reanchor(OLD, new, [span_of(OLD, "Leeds")])
    # "e" of Leeds survives nowhere near; characters matched by chance are fine,
    # but the passage can never come back as intact.
    assert result.status in (LOST, CHANGED)


def test_it_maps_many_passages_in_their_given_order():
    new = "Interviewer: So, where did you grow up?\nP1: In Leeds.\n"
    spans = [
        span_of(OLD, "In Leeds"),
        span_of(OLD, "Where did"),
        span_of(OLD, "river"),
    ]
    results = reanchor(OLD, new, spans)
    assert [new[r.start : r.end] for r in results[:2]] == ["In Leeds", "here did"]
    assert results[0].status == MOVED
    assert results[1].status == CHANGED
    assert results[2].status == LOST


def test_it_counts_code_points_with_emoji_and_accents():
    old = "Zoë: Café 🌞 at noon, naïve 👍 fun."
    new = "Zoë: Le café 🌞🌞 at noon, naïve 👍 fun."
    results = reanchor(old, new, [span_of(old, "naïve 👍"), span_of(old, "🌞 at")])
    assert new[results[0].start : results[0].end] == "naïve 👍"
    assert results[0].status == MOVED
    assert new[results[1].start : results[1].end] in ("🌞 at", "🌞🌞 at")


def test_it_handles_decomposed_accents_as_separate_code_points():
    old = "re\u0301sume\u0301 here"
    new = "Un re\u0301sume\u0301 here"
    [result] = reanchor(old, new, [(0, 8)])
    assert result == Reanchored(3, 11, MOVED)


def test_it_refuses_a_passage_outside_the_old_text():
    with pytest.raises(ValueError):
        reanchor("abc", "abc", [(2, 5)])


def test_it_refuses_an_empty_passage():
    with pytest.raises(ValueError):
        reanchor("abc", "abc", [(1, 1)])


def test_it_maps_every_passage_of_a_long_text_with_scattered_edits():
    rng = random.Random(7)
    words = [rng.choice(["the", "and", "we", "river", "Leeds", "café", "🌞"]) for _ in range(3000)]
    old = " ".join(words)
    new_words = list(words)
    for position in sorted(rng.sample(range(len(words)), 20), reverse=True):
        new_words.insert(position, "INSERTED")
    new = " ".join(new_words)
    starts = [i for i, c in enumerate(old) if c == " "][::50]
    spans = [(s + 1, s + 40) for s in starts if s + 40 <= len(old)]
    for (start, end), result in zip(spans, reanchor(old, new, spans), strict=True):
        assert result.status in (MOVED, CHANGED)
        if result.status == MOVED:
            assert new[result.start : result.end] == old[start:end]
        else:
            assert "INSERTED" in new[result.start : result.end]


def test_it_matches_a_long_single_line_text_with_common_words():
    old = " ".join(["the cat and the dog"] * 3000)
    new = old[:40000] + " NEW" + old[40000:]
    blocks = match_texts(old, new)
    assert sum(size for _, _, size in blocks) == len(old)


@pytest.mark.parametrize("seed", range(20))
def test_it_only_matches_stretches_that_really_are_equal(seed):
    rng = random.Random(seed)
    alphabet = ["a", "b", " ", ".", "\n", "é", "🌞"]
    old = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 300)))
    new = list(old)
    for _ in range(rng.randrange(1, 10)):
        position = rng.randrange(len(new) + 1)
        if rng.random() < 0.5:
            new.insert(position, rng.choice(alphabet))
        elif position < len(new):
            del new[position]
    new = "".join(new)
    previous_old = previous_new = 0
    for a, b, size in match_texts(old, new):
        assert size > 0
        assert a >= previous_old and b >= previous_new
        assert old[a : a + size] == new[b : b + size]
        previous_old, previous_new = a + size, b + size


def test_it_falls_back_when_the_texts_have_little_in_common():
    rng = random.Random(3)
    old = "\n".join(f"line {rng.random()}" for _ in range(1500))
    new = "\n".join(f"line {rng.random()}" for _ in range(1500))
    span = span_of(old, old.splitlines()[700])
    [result] = reanchor(old, new, [span])
    assert result.status in (LOST, CHANGED)
