"""The array arithmetic behind the agreement table gives what the plain statistics give.

The table counts patterns and sweeps boundaries with numpy; each figure must be
the very float that the public functions compute from the units one by one.
"""

import random
from collections import Counter
from itertools import combinations

import numpy as np
import pytest

from codebook.agreement import (
    AgreementUndefined,
    ac1_from_pairs,
    brennan_prediger,
    character_kappa,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pair_counts,
    percent_agreement,
    unitizing_alpha,
)
from codebook.coverage import covered, merged, unit_patterns
from codebook.reliability.table import NOT_CODED, Group, build_rows, character_agreement
from codebook.unitizing import CodedContinuum
from codebook.units import code_presence_by_unit, nominal_value_by_unit, segment_overlap_agreement
from tests.fresh_interpreter import heavy_modules_loaded

GROUPS = [Group("Feelings", ("hope", "fear", "anger")), Group("Care", ("care",))]
ALL_CODES = ("hope", "fear", "anger", "care")
LABELS = {code: code.title() for code in ALL_CODES}


def random_study(seed: int, coders: int):
    rng = random.Random(seed)
    length = rng.randint(300, 600)
    units, cursor = [], 0
    while (end := (start := cursor + rng.randint(0, 3)) + rng.randint(5, 40)) <= length:
        units.append((start, end))
        cursor = end
    names = ["ann", "ben", 7][:coders]
    codings = []
    for coder in names:
        cursor = 0  # the feelings of one coder exclude each other, as u- and cu-alpha need
        while (end := (start := cursor + rng.randint(0, 30)) + rng.randint(1, 50)) <= length:
            codings.append((coder, start, end, rng.choice(GROUPS[0].codes)))
            cursor = end
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, length - 2)
            codings.append((coder, start, min(length, start + rng.randint(1, 60)), "care"))
    if seed % 4 == 0:  # one coder applies two feelings to one passage: a conflict
        codings.append((names[0], 10, 40, "hope"))
        codings.append((names[0], 20, 50, "fear"))
    rng.shuffle(codings)
    return codings, units, length, names


def mean_of_pairs(rows, coefficient):
    values = []
    for a, b in combinations(rows, 2):
        try:
            values.append(coefficient(a, b))
        except AgreementUndefined:
            continue
    return sum(values) / len(values) if values else None


def value(figure):
    return figure.value


def check_unit_row(row, values: dict, categories):
    rows = list(values.values())
    assert value(row.percent) == mean_of_pairs(rows, percent_agreement)
    assert value(row.brennan_prediger) == mean_of_pairs(
        rows, lambda a, b: brennan_prediger(a, b, categories)
    )
    assert value(row.ac1) == mean_of_pairs(rows, lambda a, b: ac1_from_pairs(*pair_counts(a, b)))
    try:
        alpha = krippendorff_alpha(values)
    except AgreementUndefined:
        alpha = None
    assert value(row.alpha) == alpha
    if len(rows) == 2:
        try:
            kappa = cohen_kappa(*rows)
        except AgreementUndefined:
            kappa = None
    else:
        ordered = sorted(categories, key=repr)
        counts = [[column.count(c) for c in ordered] for column in zip(*rows, strict=True)]
        try:
            kappa = fleiss_kappa(counts)
        except AgreementUndefined:
            kappa = None
    assert value(row.kappa) == kappa


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("coders", [2, 3])
def test_unit_rows_give_what_the_statistics_give_on_the_units(seed, coders):
    codings, units, length, names = random_study(seed, coders)
    rows = build_rows(codings, units, length, names, GROUPS, LABELS, "sentence", 0.5)
    by_label = {row.label: row for row in rows}
    pooled = {coder: [] for coder in names}
    for code in ALL_CODES:
        presence = code_presence_by_unit(codings, units, names, code)
        check_unit_row(by_label[LABELS[code]], presence, {True, False})
        for coder in names:
            pooled[coder] += presence[coder]
    group = GROUPS[0].codes
    nominal = nominal_value_by_unit(codings, units, names, group, uncoded=NOT_CODED)
    check_unit_row(by_label["Feelings"], nominal.values, set(group) | {NOT_CODED})
    assert by_label["Feelings"].conflicts == nominal.conflicts
    check_unit_row(by_label["All codes"], pooled, {True, False})


def unitizing_or_none(segments, length, variant):
    try:
        return unitizing_alpha(segments, length, variant)
    except ValueError:  # undefined, or overlapping codes of one group
        return None


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("coders", [2, 3])
def test_continuum_rows_give_what_the_statistics_give_on_the_codings(seed, coders):
    codings, units, length, names = random_study(100 + seed, coders)
    character = build_rows(codings, units, length, names, GROUPS, LABELS, "character", 0.5)
    segment = build_rows(codings, units, length, names, GROUPS, LABELS, "segment", 0.9)
    for row, segment_row in zip(character, segment, strict=True):
        spans = {
            c: [(s, e, k) for who, s, e, k in codings if who == c and k in row.codes] for c in names
        }
        rows = list(spans.values())
        assert value(row.binary_alpha) == unitizing_or_none(spans, length, "binary")
        if len(row.codes) > 1:
            assert value(row.u_alpha) == unitizing_or_none(spans, length, "u")
            assert value(row.cu_alpha) == unitizing_or_none(spans, length, "cu")
        assert value(row.percent) == mean_of_pairs(
            [[(s, e) for s, e, _ in one] for one in rows],
            lambda a, b: character_agreement(a, b, length),
        )
        assert value(row.kappa) == mean_of_pairs(rows, lambda a, b: character_kappa(a, b, length))
        results = []
        for a, b in combinations(rows, 2):
            try:
                results.append(segment_overlap_agreement(a, b, 0.9, codes=ALL_CODES))
            except AgreementUndefined:
                continue
        percent = sum(r.percent_agreement for r in results) / len(results) if results else None
        assert value(segment_row.percent) == percent
        assert segment_row.units == sum(
            r.agree_a + r.disagree_a + r.agree_b + r.disagree_b for r in results
        )


@pytest.mark.parametrize(
    ("coders", "values"),
    [
        (3, [False, True]),  # presence: one counting pass over 2**3 possible patterns
        (3, list(range(40))),  # sparse patterns: counted by sorting
        (12, list(range(60))),  # too many patterns for one integer each
    ],
)
def test_it_counts_unit_patterns_as_counter_of_zip_does(coders, values):
    rng = random.Random(coders * len(values))
    rows = [[rng.randrange(len(values) // 2 + 1) for _ in range(300)] for _ in range(coders)]
    as_values = [[values[i] for i in row] for row in rows]
    patterns, positions = unit_patterns([np.array(row) for row in rows], values)
    expected = Counter(zip(*as_values, strict=True))
    assert list(patterns.items()) == list(expected.items())  # same order of first occurrence
    assert [list(patterns)[p] for p in positions] == list(zip(*as_values, strict=True))


@pytest.mark.parametrize("seed", range(20))
def test_it_measures_coverage_as_a_character_count_would(seed):
    rng = random.Random(seed)
    length = 200
    starts = [rng.randint(0, length - 1) for _ in range(rng.randint(0, 12))]
    ends = [min(length, s + rng.randint(0, 30)) for s in starts]
    union_starts, union_ends = merged(starts, ends)
    units, cursor = [], 0
    while (end := (start := cursor + rng.randint(0, 4)) + rng.randint(1, 20)) <= length:
        units.append((start, end))
        cursor = end
    coded = {x for s, e in zip(starts, ends, strict=True) for x in range(s, e)}
    expected = [sum(x in coded for x in range(s, e)) for s, e in units]
    found = covered(union_starts, union_ends, *map(np.array, zip(*units, strict=True)))
    assert found.tolist() == expected


def test_a_prepared_continuum_names_the_first_bad_segment_of_the_chosen_codes():
    continuum = CodedContinuum({"ann": [(0, 10, "x"), (5, 90, "y")], "ben": [(-1, 3, "x")]}, 50)
    with pytest.raises(ValueError, match=r"coder 'ann': segment \(5, 90, 'y'\)"):
        continuum.alpha("binary", ["y"])
    with pytest.raises(ValueError, match=r"coder 'ben': segment \(-1, 3, 'x'\)"):
        continuum.alpha("binary", ["x"])


def test_pages_do_not_load_numpy_until_agreement_is_computed():
    # numpy takes some 60-80 ms to import: the web process must not pay it on start.
    imports = (
        "import coprod.urls, codebook.agreement, codebook.units\n"
        "import codebook.reliability.report, codebook.reliability.table"
    )
    assert heavy_modules_loaded(imports, ["numpy"]) == []
