"""Renaming and merging speakers on the import preview."""

import pytest

from interviews.importing.preview import (
    SpeakerSummary,
    merge_speakers,
    rename_speaker,
    split_paragraphs,
    summarise_speakers,
)
from interviews.importing.turns import DetectedTurn, detect_turns

TEXT = (
    "Recorded in Leeds\n"
    "INT: Where did you grow up, Zoë?\n"
    "Zoë: In Málaga 🌞, by the sea.\n"
    "Interviewer: And then?\n"
    "Zoë: Leeds."
)


def test_it_summarises_speakers_in_order_of_appearance():
    assert summarise_speakers(detect_turns(TEXT), TEXT) == [
        SpeakerSummary(None, 1, 3),
        SpeakerSummary("INT", 1, 6),
        SpeakerSummary("Zoë", 2, 7),
        SpeakerSummary("Interviewer", 1, 2),
    ]


def test_it_renames_a_speaker_without_touching_the_text():
    turns = detect_turns(TEXT)
    renamed = rename_speaker(turns, "Zoë", "  Zoë   Martín ")
    assert [t.speaker for t in renamed] == [
        None,
        "INT",
        "Zoë Martín",
        "Interviewer",
        "Zoë Martín",
    ]
    assert [(t.start, t.end) for t in renamed] == [(t.start, t.end) for t in turns]
    assert TEXT[renamed[2].start : renamed[2].end] == "In Málaga 🌞, by the sea."


def test_it_leaves_the_original_turns_as_they_were():
    turns = detect_turns(TEXT)
    rename_speaker(turns, "Zoë", "P1")
    assert turns[2].speaker == "Zoë"


def test_it_can_name_the_unattributed_turns():
    renamed = rename_speaker(detect_turns(TEXT), None, "Note")
    assert renamed[0].speaker == "Note"


def test_it_refuses_an_empty_new_name():
    with pytest.raises(ValueError, match="a speaker needs a name"):
        rename_speaker(detect_turns(TEXT), "Zoë", "  ")


def test_it_refuses_to_rename_a_speaker_who_is_not_there():
    with pytest.raises(ValueError, match="no speaker 'Bob' in this transcript"):
        rename_speaker(detect_turns(TEXT), "Bob", "Robert")


def test_it_merges_one_speaker_into_another():
    merged = merge_speakers(detect_turns(TEXT), "INT", "Interviewer")
    assert summarise_speakers(merged, TEXT) == [
        SpeakerSummary(None, 1, 3),
        SpeakerSummary("Interviewer", 2, 8),
        SpeakerSummary("Zoë", 2, 7),
    ]


def test_it_keeps_merged_turns_apart():
    turns = detect_turns("INT: One.\nInterviewer: Two.")
    merged = merge_speakers(turns, "INT", "Interviewer")
    assert merged == [
        DetectedTurn("Interviewer", 5, 9),
        DetectedTurn("Interviewer", 23, 27),
    ]


def test_it_refuses_to_merge_into_a_speaker_who_is_not_there():
    with pytest.raises(ValueError):
        merge_speakers(detect_turns(TEXT), "INT", "Nobody")


def test_it_makes_one_turn_per_line_when_detection_is_off():
    text = "  INT: Hi.  \n\n[00:01:02] Zoë: Hola 🌞\n"
    turns = split_paragraphs(text)
    assert [text[t.start : t.end] for t in turns] == [
        "INT: Hi.",
        "[00:01:02] Zoë: Hola 🌞",
    ]
    assert all(t.speaker is None and t.timestamp is None for t in turns)
