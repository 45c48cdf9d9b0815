"""Correcting a transcript carries its codings over to the new text (through the DB)."""

import pytest

from codebook.models import AnchorStatus, Coding
from interviews.corrections import NothingChanged, StaleRevision, correct_transcript
from interviews.models import InterviewRevision
from tests.conftest import TRANSCRIPT

CAFE = "Could you tell me about the café project?"
DESIGN = "We asked citizens to design the service with our frontline staff."
BUDGET = "The budget was tight, and the targets did not help."
LET_GO = "I had to learn to let go."


def correct(interview, user, new_text):
    return correct_transcript(interview, new_text, user, interview.revision)


def reloaded(coding):
    coding.refresh_from_db()
    return coding


@pytest.fixture
def coded(interview, codes, bob, make_coding):
    return {
        "design": make_coding(interview, codes["sensemaking"], bob, DESIGN),
        "budget": make_coding(interview, codes["inhibitor"], bob, BUDGET),
        "let_go": make_coding(interview, codes["identity"], bob, LET_GO),
    }


def test_it_moves_a_coding_after_an_insertion_before_it(interview, alice, coded):
    correct(interview, alice, TRANSCRIPT.replace("café project", "new café project"))
    coding = reloaded(coded["design"])
    assert coding.quote == DESIGN
    assert interview.text[coding.start : coding.end] == DESIGN
    assert coding.anchor_status == AnchorStatus.OK


def test_it_leaves_a_coding_before_an_insertion_where_it_was(interview, alice, coded):
    start = coded["design"].start
    correct(interview, alice, TRANSCRIPT.replace("let go.", "let go, really."))
    coding = reloaded(coded["design"])
    assert (coding.start, coding.quote, coding.anchor_status) == (start, DESIGN, AnchorStatus.OK)


def test_it_flags_a_coding_with_an_insertion_inside_as_changed(interview, alice, coded):
    correct(interview, alice, TRANSCRIPT.replace("design the service", "design the whole service"))
    coding = reloaded(coded["design"])
    assert coding.quote == "We asked citizens to design the whole service with our frontline staff."
    assert coding.anchor_status == AnchorStatus.CHANGED


def test_it_keeps_the_surviving_part_of_a_partly_deleted_passage(interview, alice, coded):
    correct(interview, alice, TRANSCRIPT.replace(", and the targets did not help.", "."))
    coding = reloaded(coded["budget"])
    assert coding.quote == "The budget was tight."
    assert coding.anchor_status == AnchorStatus.CHANGED


def test_it_keeps_a_deleted_passage_as_lost_with_its_old_words(interview, alice, coded):
    counts = correct(interview, alice, TRANSCRIPT.replace(" " + BUDGET, ""))
    coding = reloaded(coded["budget"])
    assert coding.anchor_status == AnchorStatus.LOST
    assert coding.lost_quote == BUDGET
    assert coding.end - coding.start == 1
    assert counts["lost"] == 1
    assert reloaded(coded["let_go"]).quote == LET_GO


def test_it_spans_a_passage_split_by_an_edit_from_first_to_last_surviving_word(
    interview, alice, coded
):
    correct(
        interview, alice, TRANSCRIPT.replace("design the service", "design — well — the service")
    )
    coding = reloaded(coded["design"])
    assert (
        coding.quote == "We asked citizens to design — well — the service with our frontline staff."
    )
    assert coding.anchor_status == AnchorStatus.CHANGED


def test_it_moves_codings_after_an_emoji_and_accents_by_code_points(interview, alice, coded):
    correct(interview, alice, TRANSCRIPT.replace("🙂", "🙂🎉 très"))
    for key, words in [("design", DESIGN), ("budget", BUDGET), ("let_go", LET_GO)]:
        coding = reloaded(coded[key])
        assert interview.text[coding.start : coding.end] == words == coding.quote
        assert coding.anchor_status == AnchorStatus.OK


def test_lost_codings_are_left_out_of_anchored_codings(interview, alice, coded):
    correct(interview, alice, TRANSCRIPT.replace(" " + BUDGET, ""))
    assert set(Coding.objects.anchored()) == {coded["design"], coded["let_go"]}
    assert list(Coding.objects.to_review()) == [coded["budget"]]


def test_two_codings_collapsing_onto_one_passage_are_both_kept(
    interview, alice, bob, codes, make_coding
):
    whole = make_coding(interview, codes["inhibitor"], bob, BUDGET)
    part = make_coding(interview, codes["inhibitor"], bob, BUDGET[:-1])
    correct(interview, alice, TRANSCRIPT.replace("did not help.", "did not help"))
    assert reloaded(whole).quote == reloaded(part).quote == BUDGET[:-1]
    assert reloaded(whole).anchor_status == AnchorStatus.CHANGED
    assert reloaded(part).anchor_status == AnchorStatus.OK


def test_a_lost_coding_stays_lost_through_a_later_correction(interview, alice, coded):
    correct(interview, alice, TRANSCRIPT.replace(" " + BUDGET, ""))
    correct(interview, alice, "Preface.\n" + interview.text)
    coding = reloaded(coded["budget"])
    assert (coding.anchor_status, coding.lost_quote) == (AnchorStatus.LOST, BUDGET)


def test_it_keeps_each_version_with_its_author(interview, alice):
    correct(interview, alice, TRANSCRIPT.replace("café", "cafe"))
    revision = InterviewRevision.objects.get()
    assert (revision.number, revision.author, revision.old_text) == (2, alice, TRANSCRIPT)
    assert revision.new_text == interview.text
    interview.refresh_from_db()
    assert interview.revision == 2


def test_it_refuses_a_correction_based_on_an_older_revision(interview, alice, sam, coded):
    correct_transcript(interview, TRANSCRIPT.replace("café", "cafe"), alice, 1)
    with pytest.raises(StaleRevision):
        correct_transcript(interview, TRANSCRIPT.replace("tight", "small"), sam, 1)
    interview.refresh_from_db()
    assert "tight" in interview.text and "cafe" in interview.text
    assert InterviewRevision.objects.count() == 1


def test_it_refuses_an_unchanged_text(interview, alice):
    with pytest.raises(NothingChanged):
        correct(interview, alice, TRANSCRIPT)
    assert not InterviewRevision.objects.exists()


def test_it_redetects_turns_keeping_speaker_names_and_roles(interview, alice):
    interview.turns.filter(speaker="Manager A").update(speaker="Anna")
    correct(interview, alice, TRANSCRIPT + "\n\n[00:02:10] Interviewer: Thank you.")
    turns = list(interview.turns.values_list("speaker", "speaker_role", "timestamp"))
    assert turns == [
        ("Interviewer", "interviewer", 5),
        ("Anna", "participant", 12),
        ("Interviewer", "interviewer", 100),
        ("Anna", "participant", 107),
        ("Interviewer", "interviewer", 130),
    ]
    last = interview.turns.last()
    assert interview.text[last.start : last.end] == "Thank you."


def test_it_moves_a_coding_onto_the_old_span_of_another_of_the_same_code(
    interview, alice, bob, codes, make_coding
):
    first = make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    shift = len("Well ")
    second = Coding.objects.create(
        interview=interview,
        code=codes["inhibitor"],
        coder=bob,
        start=first.start + shift,
        end=first.end + shift,
        quote=interview.text[first.start + shift : first.end + shift],
    )
    correct(interview, alice, TRANSCRIPT.replace("The budget", "Well The budget"))
    assert reloaded(first).quote == "The budget was tight"
    assert reloaded(first).start == second.start
    assert reloaded(second).anchor_status == AnchorStatus.OK
