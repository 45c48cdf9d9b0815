import pytest

from codebook.suggesting.pipeline import load_pipeline
from codebook.suggesting.records import Segment, Turn
from codebook.suggesting.segments import (
    candidate_segments,
    group_adjacent,
    parse_turns,
    sentence_spans,
    sentence_table,
    spoken_span,
)


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("en")


def interview(*turns):
    """Join (speaker, is_interviewer, words) into a text and turns."""
    text, spans = "", []
    for speaker, is_interviewer, words in turns:
        if text:
            text += "\n"
        spans.append(Turn(len(text), len(text) + len(words), speaker, is_interviewer))
        text += words
    return text, spans


def passages(text, segments):
    return [text[segment.start : segment.end] for segment in segments]


def test_manager_initial_does_not_end_a_sentence(nlp):
    text, turns = interview(("P1", False, "I asked Manager A. about the plan. She agreed."))
    segments = candidate_segments(text, turns, nlp)
    assert passages(text, segments) == ["I asked Manager A. about the plan.", "She agreed."]


def test_e_g_does_not_end_a_sentence(nlp):
    text, turns = interview(("P1", False, "We tried tools, e.g. Surveys and maps. It worked."))
    segments = candidate_segments(text, turns, nlp)
    assert passages(text, segments) == ["We tried tools, e.g. Surveys and maps.", "It worked."]


def test_split_abbreviation_before_lower_case_does_not_end_a_sentence(nlp):
    text, turns = interview(("P1", False, "We had maps etc. and lists. Then we stopped."))
    segments = candidate_segments(text, turns, nlp)
    assert passages(text, segments) == ["We had maps etc. and lists.", "Then we stopped."]


def test_leading_timestamp_and_label_are_left_out(nlp):
    text, turns = interview(("P3", False, "[00:01:23] P3: We met the council. It went well."))
    segments = candidate_segments(text, turns, nlp)
    assert passages(text, segments) == ["We met the council.", "It went well."]


def test_f4_timestamps_and_speaker_name_are_left_out():
    text = "Anna: So we waited. #00:02:11-4#"
    assert text[slice(*spoken_span(text, Turn(0, len(text), "Anna", False)))] == "So we waited."


def test_speech_that_starts_with_a_capitalised_word_and_colon_is_kept():
    text = "Yes: we did."
    assert spoken_span(text, Turn(0, len(text), "Anna", False)) == (0, len(text))


def test_offsets_are_code_points_in_non_ascii_text(nlp):
    text, turns = interview(
        ("I", True, "Hvordan gik det?"),
        ("Søren", False, "Det gik godt 😀 på rådhuset. Ça va, Æblegården også."),
    )
    segments = candidate_segments(text, turns, nlp)
    assert passages(text, segments) == ["Det gik godt 😀 på rådhuset.", "Ça va, Æblegården også."]
    assert segments[1].end == len(text)


def test_interviewer_turns_are_skipped(nlp):
    text, turns = interview(
        ("Interviewer", True, "How did it go?"),
        ("P1", False, "It went well."),
        ("Interviewer", True, "Why?"),
        ("P1", False, "Good people."),
    )
    segments = candidate_segments(text, turns, nlp)
    assert passages(text, segments) == ["It went well.", "Good people."]
    assert [segment.turn_index for segment in segments] == [1, 3]


def test_sentence_spans_include_interviewer_turns_unless_told(nlp):
    text, turns = interview(("I", True, "How did it go? Tell me."), ("P1", False, "Well."))
    everything = sentence_spans(text, turns, nlp)
    assert [text[start:end] for start, end in everything] == ["How did it go?", "Tell me.", "Well."]
    assert len(sentence_spans(text, turns, nlp, include_interviewer=False)) == 1


def test_sentences_do_not_cross_turns(nlp):
    text, turns = interview(("P1", False, "We started"), ("P2", False, "and we ended."))
    assert passages(text, candidate_segments(text, turns, nlp)) == ["We started", "and we ended."]


def test_empty_and_punctuation_only_turns_give_no_segments(nlp):
    text, turns = interview(("P1", False, "   "), ("P1", False, "..."), ("P2", False, "Yes."))
    assert passages(text, candidate_segments(text, turns, nlp)) == ["Yes."]


def test_it_rejects_a_turn_outside_the_text(nlp):
    with pytest.raises(ValueError, match="outside"):
        parse_turns("short", [Turn(0, 99, "P1", False)], nlp)


def test_adjacent_hits_group_into_passages_of_up_to_three_sentences():
    segments = [Segment(i * 10, i * 10 + 9, 0) for i in range(5)] + [Segment(50, 59, 1)]
    assert group_adjacent(segments, [0, 1, 2, 3, 4, 5]) == [[0, 1, 2], [3, 4], [5]]
    assert group_adjacent(segments, [3, 1]) == [[1], [3]]


@pytest.mark.parametrize(
    "spoken",
    ["(12:03) So we waited.", "#00:02:11-4# So we waited.", "00:02:11.5 - So we waited."],
)
def test_timestamp_forms_are_left_out(spoken):
    text = spoken
    start, end = spoken_span(text, Turn(0, len(text), "P1", False))
    assert text[start:end] == "So we waited."


def test_a_bare_time_of_day_is_speech_not_a_timestamp():
    text = "10:30 was when we met."
    assert spoken_span(text, Turn(0, len(text), "P1", False)) == (0, len(text))


def test_timestamp_and_a_speaker_name_with_a_space_are_left_out():
    text = "[00:00:12] Manager A: Yes – it was a “rôle” change for me 🙂."
    start, end = spoken_span(text, Turn(0, len(text), "Manager A", False))
    assert text[start:end] == "Yes – it was a “rôle” change for me 🙂."


def test_sentence_table_gives_each_sentence_its_tokens(nlp):
    text = "We had maps etc. and lists.  — !  Then we stopped.\n\n3 left."
    (turn_doc,) = parse_turns(text, [Turn(0, len(text), "P1", False)], nlp)
    firsts, ends, spans = sentence_table(turn_doc)
    assert [text[start:end] for start, end in spans] == [
        "We had maps etc. and lists.",
        "Then we stopped.",
        "3 left.",
    ]
    for first, end, (start, stop) in zip(firsts, ends, spans, strict=True):
        assert turn_doc.doc[first:end].text.strip() == text[start:stop]
