"""Speaker-turn detection and transcript building (no Django needed)."""

import pytest

from interviews.importing.turns import (
    DetectedTurn,
    build_transcript,
    closing_credit_span,
    detect_turns,
    looks_like_speaker,
    parse_timestamp,
)


def spoken(text, turns):
    return [(turn.speaker, text[turn.start : turn.end], turn.timestamp) for turn in turns]


def test_it_finds_a_turn_per_labelled_line():
    text = "Interviewer: Where did you grow up?\nP1: In Leeds.\n"
    assert spoken(text, detect_turns(text)) == [
        ("Interviewer", "Where did you grow up?", None),
        ("P1", "In Leeds.", None),
    ]


@pytest.mark.parametrize(
    "label",
    ["Interviewer", "Manager A", "Dr. Jones", "INT", "J. Smith", "Participant (P3)",
     "Jean-Luc de la Tour", "Zoë", "Éloïse Brontë", "Speaker 2", "李明", "Prof. Ana Díaz"],
)  # fmt: skip
def test_it_accepts_name_like_labels(label):
    text = f"{label}: Hello."
    assert spoken(text, detect_turns(text)) == [(label, "Hello.", None)]


@pytest.mark.parametrize(
    "line",
    [
        "The point is this: it was hard.",
        "I told him: no way.",
        "What happened next? Well: nothing.",
        "Yes, and then: nothing.",
        "One Two Three Four Five Six: too many words.",
        "Date: 12 May 2023",
        "Note: the recorder failed.",
        "http://example.org is where it is.",
        "Time was short: we left.",
        "A" * 41 + ": too long.",
    ],
)
def test_it_does_not_take_ordinary_sentences_for_labels(line):
    assert detect_turns(line) == [DetectedTurn(None, 0, len(line), None)]


def test_it_rejects_a_dot_that_is_not_an_abbreviation():
    assert not looks_like_speaker("Yes. Okay")
    assert looks_like_speaker("Mrs. Okafor")


@pytest.mark.parametrize(
    ("line", "seconds"),
    [
        ("[00:12:03] Interviewer: Hello.", 723),
        ("(00:12:03) Interviewer: Hello.", 723),
        ("00:12:03 Interviewer: Hello.", 723),
        ("12:03 Interviewer: Hello.", 723),
        ("[12:03] Interviewer: Hello.", 723),
        ("Interviewer: [00:12:03] Hello.", 723),
        ("Interviewer: (12:03) Hello.", 723),
        ("Interviewer (12:03): Hello.", 723),
        ("Interviewer [1:02:03.500]: Hello.", 3723),
        ("[75:10] Interviewer: Hello.", 4510),
    ],
)
def test_it_reads_timestamps_before_or_after_the_label(line, seconds):
    assert spoken(line, detect_turns(line)) == [("Interviewer", "Hello.", seconds)]


def test_it_keeps_a_bare_short_time_after_the_label_as_text():
    line = "Interviewer: 10:30 is when we met."
    assert spoken(line, detect_turns(line)) == [("Interviewer", "10:30 is when we met.", None)]


def test_it_keeps_a_bare_short_time_starting_an_unlabelled_line_as_text():
    line = "10:30 is when we met."
    assert spoken(line, detect_turns(line)) == [(None, line, None)]


def test_it_gives_an_unlabelled_line_without_previous_speaker_its_own_turn():
    text = "Interview 3, Leeds\nRecorded at home\n\nInterviewer: Hi."
    assert spoken(text, detect_turns(text)) == [
        (None, "Interview 3, Leeds", None),
        (None, "Recorded at home", None),
        ("Interviewer", "Hi.", None),
    ]


def test_it_keeps_a_multi_paragraph_answer_in_one_turn():
    text = "P1: First paragraph.\n\nSecond paragraph.\nInterviewer: Thanks."
    turns = detect_turns(text)
    assert spoken(text, turns) == [
        ("P1", "First paragraph.\n\nSecond paragraph.", None),
        ("Interviewer", "Thanks.", None),
    ]


def test_it_starts_a_new_turn_of_the_same_speaker_at_a_timestamped_paragraph():
    text = "P1: First part.\n[00:05:00] Second part."
    assert spoken(text, detect_turns(text)) == [
        ("P1", "First part.", None),
        ("P1", "Second part.", 300),
    ]


def test_it_gives_a_timestamp_alone_on_a_line_to_the_next_turn():
    text = "00:12:03\nInterviewer: Hello.\n[12:10]\nP1: Hi."
    assert spoken(text, detect_turns(text)) == [
        ("Interviewer", "Hello.", 723),
        ("P1", "Hi.", 730),
    ]


def test_it_takes_the_text_of_a_label_alone_on_its_line_from_the_next_lines():
    text = "Speaker 1 (00:00):\nWelcome everyone.\nSpeaker 2 (00:04):\nThanks."
    assert spoken(text, detect_turns(text)) == [
        ("Speaker 1", "Welcome everyone.", 0),
        ("Speaker 2", "Thanks.", 4),
    ]


def test_it_drops_a_label_that_never_gets_text():
    text = "Interviewer:\nP1: Hello."
    assert spoken(text, detect_turns(text)) == [("P1", "Hello.", None)]


def test_it_accepts_markdown_bold_labels():
    text = "**Interviewer:** Hi.\n__P1__: Hello."
    assert spoken(text, detect_turns(text)) == [
        ("Interviewer", "Hi.", None),
        ("P1", "Hello.", None),
    ]


def test_it_accepts_a_tab_after_the_name():
    text = "00:01:02\tInterviewer\tHi.\nP1\tHello."
    assert spoken(text, detect_turns(text)) == [
        ("Interviewer", "Hi.", 62),
        ("P1", "Hello.", None),
    ]


def test_it_accepts_a_full_width_colon():
    text = "李明：你好。"
    assert spoken(text, detect_turns(text)) == [("李明", "你好。", None)]


def test_it_counts_offsets_in_code_points_with_emoji_and_accents():
    text = "Zoë: 🌞 café\nP2: naïve 👍"
    turns = detect_turns(text)
    assert [(t.start, t.end) for t in turns] == [(5, 11), (16, 23)]
    assert spoken(text, turns) == [("Zoë", "🌞 café", None), ("P2", "naïve 👍", None)]


def test_it_excludes_surrounding_whitespace_from_the_turn():
    text = "  Interviewer:   Hello.   \n"
    assert spoken(text, detect_turns(text)) == [("Interviewer", "Hello.", None)]


def test_it_finds_no_turns_in_blank_text():
    assert detect_turns("\n \n") == []


def test_it_parses_timestamps_with_fractions():
    assert parse_timestamp("[00:01:02,900]") == 62
    assert parse_timestamp("(3:04)") == 184


def test_it_builds_a_transcript_from_cues():
    text, turns = build_transcript(
        [
            (1.5, "Interviewer", "Hello,"),
            (3.0, "Interviewer", "welcome."),
            (62.2, "Zoë", "Merci 🌞"),
        ]
    )
    assert text == "[00:00:01] Interviewer: Hello, welcome.\n[00:01:02] Zoë: Merci 🌞"
    assert spoken(text, turns) == [
        ("Interviewer", "Hello, welcome.", 1),
        ("Zoë", "Merci 🌞", 62),
    ]


def test_it_never_merges_cues_without_a_speaker():
    text, turns = build_transcript([(0, None, "One."), (2, None, "Two.")])
    assert text == "[00:00:00] One.\n[00:00:02] Two."
    assert spoken(text, turns) == [(None, "One.", 0), (None, "Two.", 2)]


def test_it_collapses_line_breaks_inside_a_cue():
    text, _ = build_transcript([(3725, "P1", "wrapped\ncaption  line")])
    assert text == "[01:02:05] P1: wrapped caption line"


def test_it_returns_the_built_turns_when_given_cues():
    cues = [(0, "Bob", "Hi."), (1, None, "(laughter)")]
    text, turns = build_transcript(cues)
    assert detect_turns(text, cues) == turns


def test_it_refuses_cues_that_do_not_match_the_text():
    with pytest.raises(ValueError):
        detect_turns("something else", [(0, "Bob", "Hi.")])


def test_it_finds_the_same_turns_again_in_a_built_transcript():
    # A caption transcript exported as text and imported again keeps its turns
    # (but for unattributed cues after a speaker: as text, they continue that
    # speaker's answer, which is why caption imports pass their cues).
    text, turns = build_transcript(
        [(0, None, "(music)"), (5, "Interviewer", "Hello."), (9, "Zoë", "Hola 🌞")]
    )
    assert detect_turns(text) == turns


OTTER = (
    "Speaker 1  0:03\nHello there, welcome.\n\n"
    "Speaker 2  0:10\nThanks for having me.\nIt is good to be here.\n\n"
    "Speaker 1  1:02:20\nLet us begin.\n"
)


def test_it_reads_otter_headers_of_a_name_and_a_time_above_the_text():
    assert spoken(OTTER, detect_turns(OTTER)) == [
        ("Speaker 1", "Hello there, welcome.", 3),
        ("Speaker 2", "Thanks for having me.\nIt is good to be here.", 10),
        ("Speaker 1", "Let us begin.", 3740),
    ]


@pytest.mark.parametrize(
    "line", ["Agenda 10:30", "We met at  10:30", "Time  10:30", "Speaker 1  0:03 hello"]
)
def test_it_does_not_take_other_lines_with_a_time_for_otter_headers(line):
    text = f"{line}\nHello."
    assert [turn.speaker for turn in detect_turns(text)] == [None, None]


@pytest.mark.parametrize(
    "credit",
    [
        "Transcribed by https://otter.ai",
        "  transcribed by otter.ai  ",
        "Transcribed by www.otter.ai",
    ],
)
def test_a_closing_credit_is_no_ones_words(credit):
    text = OTTER + "\n\n" + credit + "\n\n"
    assert spoken(text, detect_turns(text)) == spoken(OTTER, detect_turns(OTTER))


@pytest.mark.parametrize(
    "line",
    [
        "Transcribed by Jane, who was there.",
        "Transcribed by https://otter.ai, and checked by me",
        "It was transcribed by https://otter.ai",
    ],
)
def test_a_last_line_that_only_mentions_a_transcriber_is_still_spoken(line):
    text = OTTER + line
    assert spoken(text, detect_turns(text))[-1][1] == "Let us begin.\n" + line


def test_a_credit_before_the_end_is_spoken_text():
    text = "Speaker 1  0:03\nTranscribed by https://otter.ai\nIs that right?\n"
    assert spoken(text, detect_turns(text)) == [
        ("Speaker 1", "Transcribed by https://otter.ai\nIs that right?", 3)
    ]


def test_the_closing_credit_span_covers_the_credit_without_its_spaces():
    text = OTTER + "\n\n  Transcribed by https://otter.ai \n\n"
    start, end = closing_credit_span(text)
    assert text[start:end] == "Transcribed by https://otter.ai"


def test_a_text_without_a_closing_credit_has_no_credit_span():
    assert closing_credit_span(OTTER) is None
    assert closing_credit_span("Speaker 1  0:03\nTranscribed by https://otter.ai\nYes?") is None


def test_a_closing_credit_does_not_break_names_alone_above_paragraphs():
    text = (
        "INTERVIEWER\nHow are you?\n\nPARTICIPANT\nFine, thanks.\n\n"
        "INTERVIEWER\nGood.\n\nPARTICIPANT\nYes\n\nTranscribed by https://otter.ai"
    )
    assert [turn.speaker for turn in detect_turns(text)] == [
        "INTERVIEWER",
        "PARTICIPANT",
        "INTERVIEWER",
        "PARTICIPANT",
    ]


def test_it_reads_a_name_alone_above_each_paragraph_as_its_speaker():
    text = (
        "INTERVIEWER\nHow are you?\n\nPARTICIPANT\nYes\nFine, thanks.\n\n"
        "INTERVIEWER\nGood.\n\nPARTICIPANT\nYes\n"
    )
    assert spoken(text, detect_turns(text)) == [
        ("INTERVIEWER", "How are you?", None),
        ("PARTICIPANT", "Yes\nFine, thanks.", None),
        ("INTERVIEWER", "Good.", None),
        ("PARTICIPANT", "Yes", None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # headings, each used once
        "Background\nThe project began.\n\nMethods\nWe asked people.\n",
        # one paragraph that does not start with a name
        "Interviewer\nHi.\n\nZoë\nHello.\n\nInterviewer\nSo?\n\nZoë\nWell.\n\nit went on.\nlong\n",
        # only one name
        "Interviewer\nHi.\n\nInterviewer\nHello?\n",
        # a one-word answer is a paragraph of its own
        "Interviewer\nHi.\n\nZoë\nHello.\n\nInterviewer\nSo?\n\nZoë\nWell.\n\nYes\n",
    ],
)
def test_it_reads_names_alone_only_when_the_whole_document_is_laid_out_so(text):
    assert all(turn.speaker is None for turn in detect_turns(text))


def test_a_name_alone_is_not_a_speaker_where_labels_are_used():
    text = "Interviewer: Hi.\n\nZoë\nHello.\n\nZoë\nAgain.\n"
    assert [turn.speaker for turn in detect_turns(text)] == ["Interviewer"]


def test_it_accepts_role_abbreviations_with_a_full_stop():
    text = "Int.: Where did you grow up?\nResp.: In Leeds."
    assert spoken(text, detect_turns(text)) == [
        ("Int.", "Where did you grow up?", None),
        ("Resp.", "In Leeds.", None),
    ]
