"""The agreement table and disagreements from plain codings, without a database."""

import pytest

from codebook.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha
from codebook.reliability.disagreements import (
    find_continuum_disagreements,
    find_unit_disagreements,
)
from codebook.reliability.table import Group, build_rows, character_agreement

UNITS = [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60)]
LABELS = {"x": "X", "y": "Y", "z": "Z"}
GROUPS = [Group("Both", ("x", "y")), Group("Z", ("z",))]


def rows_by_label(codings, coders=("a", "b"), unit="sentence", threshold=0.5):
    rows = build_rows(codings, UNITS, 60, list(coders), GROUPS, LABELS, unit, threshold)
    return {row.label: row for row in rows}


CODINGS = [
    ("a", 0, 10, "x"),
    ("b", 0, 10, "x"),
    ("a", 10, 20, "x"),
    ("b", 10, 20, "y"),
    ("a", 20, 30, "y"),
    ("b", 20, 30, "y"),
    ("a", 40, 50, "z"),
]


def test_a_code_row_matches_the_statistics_on_presence():
    row = rows_by_label(CODINGS)["X"]
    a = [True, True, False, False, False, False]
    b = [True, False, False, False, False, False]
    assert row.units == 6
    assert row.kappa.value == pytest.approx(cohen_kappa(a, b))
    assert row.alpha.value == pytest.approx(krippendorff_alpha({"a": a, "b": b}))
    assert row.percent.value == pytest.approx(5 / 6)
    assert row.prevalence.value == pytest.approx(3 / 12)
    low, high = row.interval
    assert low <= row.alpha.value <= high


def test_a_group_row_uses_one_value_per_unit_and_q_with_not_coded():
    row = rows_by_label(CODINGS)["Both"]
    # three categories available: x, y and "not coded"; 5 of 6 units alike.
    assert row.brennan_prediger.value == pytest.approx((3 * 5 / 6 - 1) / 2)


def test_three_coders_get_fleiss_kappa_and_pair_means():
    codings = CODINGS + [("c", 0, 10, "x"), ("c", 10, 20, "x")]
    row = rows_by_label(codings, coders=("a", "b", "c"))["X"]
    a = [1, 1, 0, 0, 0, 0]
    b = [1, 0, 0, 0, 0, 0]
    counts = [[x + y + z, 3 - x - y - z] for x, y, z in zip(a, b, a, strict=True)]
    assert row.kappa.value == pytest.approx(fleiss_kappa(counts))
    assert row.brennan_prediger.note == "mean of 3 of 3 pairs"


def test_an_undefined_coefficient_carries_its_reason_not_nan():
    row = rows_by_label([("a", 0, 10, "x"), ("b", 0, 10, "x")])["Y"]
    assert row.alpha.value is None
    assert "no variation" in row.alpha.reason
    assert row.interval is None and row.interval_reason


def test_overlapping_codes_of_one_group_are_reported():
    codings = CODINGS + [("a", 0, 10, "y")]
    row = rows_by_label(codings)["Both"]
    assert len(row.conflicts) == 1
    assert row.u_alpha.value is None
    assert row.u_alpha.reason.startswith("a coder applied two codes of this group")


def test_character_rows_use_nvivo_kappa_and_binary_alpha():
    row = rows_by_label(CODINGS, unit="character")["X"]
    assert row.units == 60
    assert row.percent.value == pytest.approx(character_agreement([(0, 20)], [(0, 10)], 60))
    assert row.alpha == row.binary_alpha
    assert row.brennan_prediger.value is None


def test_segment_rows_count_matched_segments():
    row = rows_by_label(CODINGS, unit="segment", threshold=0.9)["X"]
    # a's touching x segments stay two; (0, 10) matches b's, (10, 20) does not.
    assert row.units == 3
    assert row.percent.value == pytest.approx(2 / 3)


def test_character_agreement_counts_both_coded_and_both_uncoded():
    assert character_agreement([(0, 5)], [(3, 8)], 10) == pytest.approx(4 / 10)


def test_unit_disagreements_are_the_units_coded_differently():
    found = find_unit_disagreements(CODINGS, UNITS, ["a", "b"], "x", 0.5)
    assert [(d.start, d.end, d.coded_by) for d in found] == [(10, 20, frozenset({"a"}))]


def test_continuum_disagreements_are_stretches_where_codings_differ():
    codings = [("a", 0, 10, "x"), ("b", 0, 8, "x"), ("a", 20, 30, "x"), ("b", 20, 30, "x")]
    found = find_continuum_disagreements(codings, ["a", "b"], "x")
    assert [(d.start, d.end, d.coded_by) for d in found] == [(0, 10, frozenset({"a", "b"}))]


def test_it_refuses_a_single_coder():
    with pytest.raises(ValueError, match="two or more coders"):
        build_rows(CODINGS, UNITS, 60, ["a"], GROUPS, LABELS, "turn", 0.5)


@pytest.mark.parametrize("unit", ["sentence", "turn", "character", "segment"])
def test_the_overall_row_alone_is_the_tables_last_row(unit):
    threshold = 0.9 if unit == "segment" else 0.5
    every = build_rows(CODINGS, UNITS, 60, ["a", "b"], GROUPS, LABELS, unit, threshold)
    alone = build_rows(
        CODINGS, UNITS, 60, ["a", "b"], GROUPS, LABELS, unit, threshold, overall_only=True
    )
    assert [row.label for row in alone] == ["All codes"]
    assert alone[0].coefficients() == every[-1].coefficients()
    assert (alone[0].units, alone[0].interval) == (every[-1].units, every[-1].interval)
