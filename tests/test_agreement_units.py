"""From codings to units: presence, nominal values, segment overlap, disagreements."""

import pytest

from codebook.agreement import AgreementUndefined, cohen_kappa, krippendorff_alpha
from codebook.units import (
    OverlapConflict,
    Passage,
    code_presence_by_unit,
    disagreeing_passages,
    disagreeing_units,
    nominal_value_by_unit,
    segment_overlap_agreement,
)

SENTENCES = [(0, 10), (10, 20), (25, 35)]  # a 5-character gap between 2 and 3
CODERS = ["ann", "ben"]


# --- code_presence_by_unit ---------------------------------------------------------


def test_it_marks_a_unit_whose_coverage_exactly_meets_the_threshold():
    presence = code_presence_by_unit([("ann", 0, 5, "hope")], SENTENCES, CODERS, "hope")
    assert presence == {"ann": [True, False, False], "ben": [False, False, False]}


def test_it_splits_a_coding_that_crosses_a_unit_boundary():
    codings = [("ann", 5, 15, "hope")]
    assert code_presence_by_unit(codings, SENTENCES, ["ann"], "hope")["ann"] == [True, True, False]
    at_60 = code_presence_by_unit(codings, SENTENCES, ["ann"], "hope", threshold=0.6)
    assert at_60["ann"] == [False, False, False]


def test_it_counts_overlapping_codings_of_one_coder_once():
    # Union covers 6 of 10; summing the two codings would claim 8.
    codings = [("ann", 0, 4, "hope"), ("ann", 2, 6, "hope")]
    presence = code_presence_by_unit(codings, SENTENCES, ["ann"], "hope", threshold=0.7)
    assert presence["ann"] == [False, False, False]


def test_it_adds_up_separate_codings_within_a_unit():
    codings = [("ann", 0, 2, "hope"), ("ann", 6, 9, "hope")]
    presence = code_presence_by_unit(codings, SENTENCES, ["ann"], "hope")
    assert presence["ann"] == [True, False, False]


def test_it_meets_a_decimal_threshold_exactly():
    # 0.3 * 10 is 3.0000000000000004 in floats; 3 of 10 characters must still count.
    presence = code_presence_by_unit([("ann", 0, 3, "hope")], SENTENCES, ["ann"], "hope", 0.3)
    assert presence["ann"] == [True, False, False]


def test_it_ignores_text_between_units():
    presence = code_presence_by_unit([("ann", 20, 25, "hope")], SENTENCES, ["ann"], "hope")
    assert presence["ann"] == [False, False, False]


def test_it_ignores_other_codes_and_empty_selections():
    codings = [("ann", 0, 10, "fear"), ("ann", 10, 10, "hope")]
    presence = code_presence_by_unit(codings, SENTENCES, ["ann"], "hope", threshold=0.1)
    assert presence["ann"] == [False, False, False]


def test_it_gives_a_coder_without_codings_all_false():
    assert code_presence_by_unit([], SENTENCES, ["ann"], "hope") == {"ann": [False] * 3}


@pytest.mark.parametrize("units", [[(0, 10), (5, 15)], [(10, 20), (0, 10)], [(3, 3)]])
def test_it_rejects_overlapping_unordered_or_empty_units(units):
    with pytest.raises(ValueError, match="unit"):
        code_presence_by_unit([], units, ["ann"], "hope")


def test_it_rejects_a_reversed_coding():
    with pytest.raises(ValueError, match="reversed"):
        code_presence_by_unit([("ann", 8, 2, "hope")], SENTENCES, ["ann"], "hope")


@pytest.mark.parametrize("threshold", [0, -0.1, 1.5])
def test_it_rejects_a_threshold_outside_zero_to_one(threshold):
    with pytest.raises(ValueError, match="threshold"):
        code_presence_by_unit([], SENTENCES, ["ann"], "hope", threshold)


def test_it_feeds_presence_to_the_statistics():
    codings = [("ann", 0, 10, "hope"), ("ben", 0, 8, "hope"), ("ann", 25, 35, "hope")]
    presence = code_presence_by_unit(codings, SENTENCES, CODERS, "hope")
    assert presence == {"ann": [True, False, True], "ben": [True, False, False]}
    # o(T,F) = o(F,T) = 1, n_T = n_F = 3, n = 6: alpha = 1 - 5 * 2 / (2 * 3 * 3).
    assert krippendorff_alpha(presence) == pytest.approx(4 / 9)
    assert cohen_kappa(presence["ann"], presence["ben"]) == pytest.approx(0.4)


# --- nominal_value_by_unit ------------------------------------------------------------

GROUP = ["hope", "fear"]


def test_it_gives_each_unit_the_code_that_reaches_the_threshold():
    codings = [("ann", 0, 6, "hope"), ("ann", 10, 20, "fear"), ("ben", 0, 10, "fear")]
    result = nominal_value_by_unit(codings, SENTENCES, CODERS, GROUP)
    assert result.values == {"ann": ["hope", "fear", None], "ben": ["fear", None, None]}
    assert result.conflicts == []


def test_it_picks_the_larger_coverage_and_reports_the_conflict():
    codings = [("ann", 0, 5, "hope"), ("ann", 3, 10, "fear")]
    values, conflicts = nominal_value_by_unit(codings, SENTENCES, ["ann"], GROUP)
    assert values["ann"][0] == "fear"
    assert conflicts == [OverlapConflict("ann", 0, ("fear", "hope"))]


def test_it_breaks_a_coverage_tie_by_code_order():
    codings = [("ann", 0, 5, "fear"), ("ann", 5, 10, "hope")]
    values, conflicts = nominal_value_by_unit(codings, SENTENCES, ["ann"], GROUP)
    assert values["ann"][0] == "hope"
    assert conflicts[0].codes == ("hope", "fear")


def test_it_labels_uncoded_units_when_asked():
    values, _ = nominal_value_by_unit([], SENTENCES, ["ann"], GROUP, uncoded="(uncoded)")
    assert values["ann"] == ["(uncoded)"] * 3


def test_it_ignores_codes_outside_the_group():
    codings = [("ann", 0, 10, "joy")]
    values, _ = nominal_value_by_unit(codings, SENTENCES, ["ann"], GROUP)
    assert values["ann"] == [None, None, None]


# --- segment_overlap_agreement -------------------------------------------------------


def test_it_agrees_on_identical_segments():
    codings = [(0, 10, "hope"), (20, 30, "fear")]
    result = segment_overlap_agreement(codings, codings)
    assert (result.agree_a, result.disagree_a, result.agree_b, result.disagree_b) == (2, 0, 2, 0)
    assert result.percent_agreement == 1.0
    assert result.kappa == 1.0


def test_it_agrees_when_the_overlap_exactly_meets_the_threshold():
    # Overlap 90 of the 100 characters both segments span.
    result = segment_overlap_agreement([(0, 100, "hope")], [(0, 90, "hope")], threshold=0.9)
    assert result.agree_a == result.agree_b == 1


def test_it_disagrees_just_below_the_threshold():
    result = segment_overlap_agreement([(0, 100, "hope")], [(0, 89, "hope")], threshold=0.9)
    assert result.disagree_a == result.disagree_b == 1
    assert result.percent_agreement == 0.0


def test_it_measures_overlap_against_the_union_not_the_longer_segment():
    # 90 shared of 110 spanned = .818: agreement at .8, not at .9 (90/100 would pass).
    a, b = [(0, 100, "hope")], [(10, 110, "hope")]
    assert segment_overlap_agreement(a, b, threshold=0.9).agree_a == 0
    assert segment_overlap_agreement(a, b, threshold=0.8).agree_a == 1


def test_it_requires_the_same_code():
    result = segment_overlap_agreement([(0, 10, "hope")], [(0, 10, "fear")])
    assert result.by_code == {"fear": (0, 0, 0, 1), "hope": (0, 1, 0, 0)}
    assert result.unmatched_a == [(0, 10, "hope")]
    assert result.unmatched_b == [(0, 10, "fear")]


def test_it_computes_percent_and_brennan_prediger_kappa():
    a = [(0, 10, "hope"), (20, 30, "fear"), (40, 50, "hope")]
    b = [(0, 10, "hope"), (20, 30, "hope")]
    result = segment_overlap_agreement(a, b)
    # a: 1 of 3 agree; b: 1 of 2 agree -> 2 of 5; K = 2 -> (0.4 - 0.5) / 0.5.
    assert result.percent_agreement == pytest.approx(0.4)
    assert result.kappa == pytest.approx(-0.2)
    with_codebook = segment_overlap_agreement(a, b, codes=["hope", "fear", "joy", "anger"])
    assert with_codebook.kappa == pytest.approx((0.4 - 0.25) / 0.75)


def test_it_merges_overlapping_segments_of_one_code_by_one_coder():
    result = segment_overlap_agreement([(0, 6, "hope"), (4, 10, "hope")], [(0, 10, "hope")])
    assert (result.agree_a, result.disagree_a) == (1, 0)


def test_it_keeps_touching_segments_of_one_code_apart():
    # Two halves each span only half of the other coder's segment.
    result = segment_overlap_agreement([(0, 5, "hope"), (5, 10, "hope")], [(0, 10, "hope")])
    assert (result.agree_a, result.disagree_a, result.agree_b, result.disagree_b) == (0, 2, 0, 1)


def test_it_leaves_kappa_out_for_a_single_code():
    assert segment_overlap_agreement([(0, 10, "hope")], [(0, 10, "hope")]).kappa is None


def test_it_calls_segment_agreement_undefined_without_codings():
    with pytest.raises(AgreementUndefined):
        segment_overlap_agreement([], [])


# --- disagreements -----------------------------------------------------------------


def test_it_lists_units_where_coders_differ():
    presence = {"ann": [True, False, True], "ben": [True, False, False]}
    assert disagreeing_units(presence) == [2]
    assert disagreeing_units({"ann": ["hope", None], "ben": ["hope", "fear"]}) == [1]


def test_it_lists_passages_coded_by_only_some_coders():
    codings = [
        ("ann", 0, 10, "hope"),
        ("ben", 5, 15, "hope"),
        ("ben", 12, 18, "hope"),  # overlaps ben's own coding: counted once
        ("cat", 0, 20, "fear"),
    ]
    passages = disagreeing_passages(codings, ["ann", "ben", "cat"], "hope")
    assert passages == [
        Passage(0, 5, frozenset({"ann"})),
        Passage(5, 10, frozenset({"ann", "ben"})),
        Passage(10, 18, frozenset({"ben"})),
    ]


def test_it_limits_passages_to_a_unit():
    codings = [("ann", 0, 10, "hope"), ("ben", 5, 15, "hope")]
    passages = disagreeing_passages(codings, CODERS, "hope", start=10, end=20)
    assert passages == [Passage(10, 15, frozenset({"ben"}))]


def test_it_finds_no_passages_where_coders_agree():
    codings = [("ann", 0, 10, "hope"), ("ben", 0, 10, "hope")]
    assert disagreeing_passages(codings, CODERS, "hope") == []
