"""Turns found again after a correction keep the names and roles given to their labels."""

from interviews.importing.redetect import RedetectedTurn, StoredTurn, redetect_turns

OLD = "INT: Hello there.\nP1: Hi.\nINT: Bye."


def test_it_keeps_a_renamed_speaker_and_its_role():
    stored = [
        StoredTurn("Interviewer", "interviewer", 5),
        StoredTurn("Zoë", "participant", 22),
        StoredTurn("Interviewer", "interviewer", 31),
    ]
    new = "INT: Hello.\nP1: Hi, hello.\nINT: Bye."
    turns = redetect_turns(OLD, stored, new)
    assert [(t.speaker, t.role, new[t.start : t.end]) for t in turns] == [
        ("Interviewer", "interviewer", "Hello."),
        ("Zoë", "participant", "Hi, hello."),
        ("Interviewer", "interviewer", "Bye."),
    ]


def test_a_new_label_keeps_its_own_name_and_no_role():
    stored = [StoredTurn("Interviewer", "interviewer", 5), StoredTurn("Zoë", "participant", 22)]
    new = OLD + "\nP2: Me too."
    assert redetect_turns(OLD, stored, new)[-1] == RedetectedTurn("P2", "", 40, 47, None)


def test_with_detection_off_the_text_is_split_into_paragraphs_again():
    stored = [StoredTurn("", "", 0), StoredTurn("", "", 18)]
    new = "INT: Hello there.\n\nP1: Hi!"
    turns = redetect_turns(OLD, stored, new)
    assert [(t.speaker, new[t.start : t.end]) for t in turns] == [
        ("", "INT: Hello there."),
        ("", "P1: Hi!"),
    ]


def test_a_closing_credit_stays_out_of_the_turns_after_a_correction():
    stored = [StoredTurn("Interviewer", "interviewer", 5), StoredTurn("Zoë", "participant", 22)]
    new = "INT: Hello there.\nP1: Hi there.\n\nTranscribed by https://otter.ai"
    turns = redetect_turns(OLD, stored, new)
    assert [(t.speaker, new[t.start : t.end]) for t in turns] == [
        ("Interviewer", "Hello there."),
        ("Zoë", "Hi there."),
    ]
