"""filter_codings: codes combined with AND, OR and NOT, and the other retrieval filters."""

import pytest

from codebook.models import Origin
from codebook.selection import SAME_TURN, filter_codings
from interviews.models import Role
from tests.analysis_data import fill_codings


@pytest.fixture
def codings(interview, codes, make_coding, bob, carol, sam):
    return fill_codings(interview, codes, make_coding, bob, carol, sam)


def _names(codings, selected):
    names = {coding.pk: name for name, coding in codings.items()}
    return {names[coding.pk] for coding in selected}


def test_it_keeps_codings_that_overlap_the_other_code(study, alice, codes, codings):
    selected = filter_codings(
        study, alice, Role.OWNER, codes=[codes["identity"]], with_codes=[codes["inhibitor"]],
    )  # fmt: skip
    assert _names(codings, selected) == {"carol_identity"}


def test_it_leaves_out_lost_codings(study, alice, codes, codings):
    selected = filter_codings(study, alice, Role.OWNER, codes=[codes["inhibitor"]])
    assert _names(codings, selected) == {"bob_inhibitor", "carol_inhibitor"}


def test_it_keeps_codings_in_the_same_turn_as_the_other_code(study, alice, codes, codings):
    selected = filter_codings(
        study, alice, Role.OWNER, codes=[codes["identity"]], with_codes=[codes["inhibitor"]],
        proximity=SAME_TURN,
    )  # fmt: skip
    assert _names(codings, selected) == {"bob_identity", "carol_identity", "consensus_identity"}


def test_it_drops_codings_that_overlap_a_not_code(study, alice, codes, codings):
    selected = filter_codings(
        study, alice, Role.OWNER, codes=[codes["identity"]], without_codes=[codes["inhibitor"]],
    )  # fmt: skip
    assert _names(codings, selected) == {"bob_identity", "consensus_identity"}


def test_it_requires_every_and_code(study, alice, codes, codings):
    selected = filter_codings(
        study, alice, Role.OWNER, codes=[codes["identity"]],
        with_codes=[codes["inhibitor"], codes["sensemaking"]], proximity=SAME_TURN,
    )  # fmt: skip
    assert _names(codings, selected) == {"bob_identity"}


def test_it_takes_any_of_several_codes_and_their_sub_codes(study, alice, codes, codings):
    selected = filter_codings(study, alice, Role.OWNER, codes=[codes["lenses"], codes["inhibitor"]])
    assert len(selected) == 6


def test_it_leaves_out_sub_codes_when_asked(study, alice, codes, codings):
    assert not filter_codings(study, alice, Role.OWNER, codes=[codes["lenses"]], subcodes=False)


def test_it_and_codes_a_parent_with_its_sub_codes(study, alice, codes, codings):
    selected = filter_codings(
        study, alice, Role.OWNER, codes=[codes["inhibitor"]], with_codes=[codes["lenses"]],
    )  # fmt: skip
    assert _names(codings, selected) == {"carol_inhibitor"}


def test_a_blind_coder_combines_only_their_own_codings(study, bob, codes, codings):
    overlapping = filter_codings(
        study, bob, Role.CODER, codes=[codes["identity"]], with_codes=[codes["inhibitor"]]
    )
    same_turn = filter_codings(
        study, bob, Role.CODER, codes=[codes["identity"]], with_codes=[codes["inhibitor"]],
        proximity=SAME_TURN,
    )  # fmt: skip
    assert not overlapping
    assert _names(codings, same_turn) == {"bob_identity"}


def test_a_blind_coder_gets_no_partner_from_another_coder(study, carol, codes, codings):
    codings["carol_inhibitor"].delete()
    selected = filter_codings(
        study, carol, Role.CODER, codes=[codes["identity"]], with_codes=[codes["inhibitor"]],
        proximity=SAME_TURN,
    )  # fmt: skip
    assert not selected


def test_it_filters_by_speaker(study, alice, codings):
    assert not filter_codings(study, alice, Role.OWNER, speakers=["Interviewer"])
    assert len(filter_codings(study, alice, Role.OWNER, speakers=["Manager A"])) == 6


def test_it_filters_by_attribute_values(study, alice, codings):
    assert len(filter_codings(study, alice, Role.OWNER, attributes=[("sector", "Care")])) == 6
    assert not filter_codings(study, alice, Role.OWNER, attributes=[("sector", "Housing")])
    either = [("sector", "Housing"), ("sector", "Care")]
    assert len(filter_codings(study, alice, Role.OWNER, attributes=either)) == 6


def test_it_filters_by_participant(study, alice, participant, codings):
    assert len(filter_codings(study, alice, Role.OWNER, participants=[participant])) == 6


def test_it_filters_by_origin(study, alice, codings):
    selected = filter_codings(study, alice, Role.OWNER, origins=[Origin.CONSENSUS])
    assert _names(codings, selected) == {"consensus_identity"}


def test_it_finds_words_in_the_quote_whatever_their_case(study, alice, codings):
    selected = filter_codings(study, alice, Role.OWNER, text="THE BUDGET")
    assert _names(codings, selected) == {"bob_inhibitor"}


def test_it_refuses_an_unknown_proximity(study, alice, codes, codings):
    with pytest.raises(ValueError, match="proximity"):
        filter_codings(study, alice, Role.OWNER, with_codes=[codes["identity"]], proximity="near")
