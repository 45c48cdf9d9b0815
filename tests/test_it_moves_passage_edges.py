"""Offset arithmetic of passages, without the database."""

import pytest

from codebook.passages import (
    PassageRefused,
    in_vivo_name,
    move_edge,
    parse_offset,
    sentence_spans,
    trim_passage,
)

TEXT = "Yes – a “rôle” change 🙂. We asked citizens! Did it help?\nNew line"


def test_it_trims_white_space_at_both_ends():
    assert trim_passage("  two words  ", 0, 13) == (2, 11)


@pytest.mark.parametrize("start, end", [(0, 0), (3, 2), (-1, 2), (0, 99)])
def test_it_refuses_ranges_outside_or_empty(start, end):
    with pytest.raises(PassageRefused):
        trim_passage(TEXT, start, end)


def test_it_refuses_white_space_only():
    with pytest.raises(PassageRefused, match="white space"):
        trim_passage("a   b", 1, 4)


def test_it_splits_sentences_in_code_points():
    spans = sentence_spans(TEXT)
    assert [TEXT[s:e] for s, e in spans] == [
        "Yes – a “rôle” change 🙂.",
        "We asked citizens!",
        "Did it help?",
        "New line",
    ]


def test_it_moves_edges_by_words_and_sentences():
    start = TEXT.index("asked")
    end = start + len("asked")
    assert TEXT[slice(*move_edge(TEXT, start, end, "end", "word", 1))] == "asked citizens!"
    assert TEXT[slice(*move_edge(TEXT, start, end, "start", "word", -1))] == "We asked"
    assert TEXT[slice(*move_edge(TEXT, start, end, "start", "sentence", -1))] == ("We asked")
    assert TEXT[slice(*move_edge(TEXT, start, end, "end", "sentence", 1))] == "asked citizens!"


def test_it_refuses_to_move_past_the_text_or_to_nothing():
    with pytest.raises(PassageRefused):
        move_edge(TEXT, 0, 3, "start", "word", -1)
    with pytest.raises(PassageRefused):
        move_edge(TEXT, 0, 3, "end", "word", -1)
    with pytest.raises(PassageRefused):
        move_edge(TEXT, 0, 3, "middle", "word", 1)


@pytest.mark.parametrize("value", [None, "", "x", "1.5", "-2"])
def test_it_refuses_offsets_that_are_not_counts(value):
    with pytest.raises(PassageRefused):
        parse_offset(value, "start")


def test_in_vivo_names_are_tidy():
    assert in_vivo_name("“let  go.”") == "let go"
    assert in_vivo_name("a/b") == "a b"
    assert len(in_vivo_name("word " * 40)) <= 61


def test_edges_move_over_spoken_text_only():
    text = "A: One two.\n\nB: Three four."
    spoken = [(3, 11), (16, 27)]
    three = text.index("Three")
    assert move_edge(text, three, three + 5, "start", "word", -1, spoken) == (7, three + 5)
    assert move_edge(text, 3, 6, "end", "sentence", 1, spoken) == (3, 11)
    assert move_edge(text, 3, 11, "end", "word", 1, spoken) == (3, three + 5)
