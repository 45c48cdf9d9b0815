"""Agreement statistics against published reference cases and hand-computed ones."""

import functools
import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from codebook.agreement import (
    AgreementUndefined,
    ac1_from_pairs,
    alpha_from_patterns,
    bootstrap_alpha_interval,
    brennan_prediger,
    brennan_prediger_from_pairs,
    character_kappa,
    cohen_from_pairs,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    pair_counts,
    percent_agreement,
    percent_from_pairs,
    scott_pi,
    unitizing_alpha,
)
from codebook.bootstrap import alphas_of_resamples

# In CI the repository is a fresh clone with shared/ as its sibling.
REPO = Path(__file__).resolve().parents[1]
CASES_PATH = Path(__file__).resolve().parents[2] / "shared" / "agreement" / "cases.json"


@pytest.fixture(scope="session")
def cases():
    if not CASES_PATH.is_file():
        pytest.fail(
            f"reference cases not found at {CASES_PATH}: check out shared/ beside the "
            "repository (shared/agreement/cases.json)",
            pytrace=False,
        )
    return {case["id"]: case for case in json.loads(CASES_PATH.read_text())["cases"]}


def expand(table, labels):
    """Turn a contingency table (rows coder A, cols coder B) into two label lists."""
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [labels[i]] * count
            b += [labels[j]] * count
    return a, b


def test_every_published_case_has_a_test(cases):
    assert set(cases) == {
        "kripp_alpha_K2011_4x12",
        "kripp_alpha_nltk_small_cases",
        "artstein_poesio_2coders_3cats",
        "cohen_kappa_wikipedia",
        "fleiss_kappa_wikipedia",
        "u_alpha_krippendorff2004_p254",
        "nvivo_coding_comparison",
    }


# --- published cases (cases.json) -------------------------------------------------


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_it_reproduces_krippendorff_2011_alphas(cases, level):
    case = cases["kripp_alpha_K2011_4x12"]
    alpha = krippendorff_alpha(case["input"]["data"], level)
    assert alpha == pytest.approx(case["expected"][level], abs=case["tolerance"])


def test_it_takes_alpha_data_as_a_dict_of_coders(cases):
    case = cases["kripp_alpha_K2011_4x12"]
    data = dict(zip(case["input"]["observers"], case["input"]["data"], strict=True))
    expected = case["expected"]["full_precision"]["nominal"]
    assert krippendorff_alpha(data) == pytest.approx(expected, abs=1e-12)


def nltk_case(cases, name):
    case = cases["kripp_alpha_nltk_small_cases"]
    small = next(c for c in case["input"]["cases"] if c["name"] == name)
    if "triples" in small:
        coders = sorted({c for c, _, _ in small["triples"]})
        units = sorted({u for _, u, _ in small["triples"]})
        data = {c: [None] * len(units) for c in coders}
        for coder, unit, value in small["triples"]:
            data[coder][units.index(unit)] = value
    else:
        data = small["ratings_by_coder"]
    return data, small.get("expected"), case["tolerance"]


@pytest.mark.parametrize(
    "name",
    [
        "dresses",
        "dresses_without_single_rating_unit",
        "perfect_two_values",
        "missing_dropped",
        "missing_counted_as_category",
    ],
)
def test_it_reproduces_nltk_alphas(cases, name):
    data, expected, tolerance = nltk_case(cases, name)
    assert krippendorff_alpha(data) == pytest.approx(expected, abs=tolerance)


def test_it_calls_alpha_undefined_where_nltk_reports_one(cases):
    # Only one value is pairable, so D_e = 0: we raise rather than claim 1.0.
    data, _, _ = nltk_case(cases, "perfect_with_unpairable")
    with pytest.raises(AgreementUndefined):
        krippendorff_alpha(data)


def test_it_reproduces_artstein_poesio(cases):
    case = cases["artstein_poesio_2coders_3cats"]
    table = case["input"]["contingency_table"]
    a, b = expand(table["table"], table["categories"])
    expected, tol = case["expected"], case["tolerance"]
    assert percent_agreement(a, b) == pytest.approx(expected["percent_agreement"], abs=tol)
    assert brennan_prediger(a, b, table["categories"]) == pytest.approx(
        expected["S_brennan_prediger"], abs=tol
    )
    assert scott_pi(a, b) == pytest.approx(expected["scott_pi"], abs=tol)
    assert cohen_kappa(a, b) == pytest.approx(expected["cohen_kappa"], abs=tol)
    assert krippendorff_alpha([a, b]) == pytest.approx(
        expected["krippendorff_alpha_nominal"], abs=tol
    )


@pytest.mark.parametrize(
    "name", ["grant_proposals", "same_po_different_kappa_1", "same_po_different_kappa_2"]
)
def test_it_reproduces_wikipedia_two_by_two_tables(cases, name):
    case = cases["cohen_kappa_wikipedia"]
    table = next(c["table"] for c in case["input"]["cases"] if c["name"] == name)
    a, b = expand(table, ["yes", "no"])
    expected, tol = case["expected"][name], case["tolerance"]
    assert percent_agreement(a, b) == pytest.approx(expected["po"], abs=tol)
    assert cohen_kappa(a, b) == pytest.approx(expected["cohen_kappa"], abs=tol)
    assert scott_pi(a, b) == pytest.approx(expected["scott_pi"], abs=tol)
    assert brennan_prediger(a, b) == pytest.approx(expected["brennan_prediger"], abs=tol)


def test_it_reproduces_wikipedia_fleiss_kappa(cases):
    case = cases["fleiss_kappa_wikipedia"]
    counts = case["input"]["counts_subject_x_category"]
    expected = case["expected"]["fleiss_kappa"]
    assert fleiss_kappa(counts) == pytest.approx(expected, abs=case["tolerance"])


def test_it_takes_fleiss_counts_as_dicts(cases):
    counts = cases["fleiss_kappa_wikipedia"]["input"]["counts_subject_x_category"]
    as_dicts = [{f"c{j}": n for j, n in enumerate(row) if n} for row in counts]
    assert fleiss_kappa(as_dicts) == pytest.approx(fleiss_kappa(counts), abs=1e-12)


def dkpro_segments(case, code=None):
    begin = case["input"]["continuum_begin"]
    return {
        observer: [
            (start - begin, start - begin + size, label)
            for start, size, label in units
            if code in (None, label)
        ]
        for observer, units in case["input"]["units"].items()
    }


@pytest.mark.parametrize("code", ["c", "k"])
def test_it_reproduces_krippendorff_2004_u_alpha_per_code(cases, code):
    case = cases["u_alpha_krippendorff2004_p254"]
    length = case["input"]["continuum_length"]
    alpha = unitizing_alpha(dkpro_segments(case, code), length, variant="1995")
    assert alpha == pytest.approx(case["expected"][code]["u_alpha"], abs=case["tolerance"])


def test_it_reproduces_krippendorff_2004_u_alpha_overall(cases):
    case = cases["u_alpha_krippendorff2004_p254"]
    length = case["input"]["continuum_length"]
    alpha = unitizing_alpha(dkpro_segments(case), length, variant="1995")
    expected = case["expected"]["overall_1-sumDo/sumDe"]
    assert alpha == pytest.approx(expected, abs=case["tolerance"])


def test_it_reproduces_nvivo_percentage_agreement(cases):
    case = cases["nvivo_coding_comparison"]
    # Per-character labels here only to check the published figure, never in the app.
    a = [True] * 150 + [False] * 850
    b = [True] * 50 + [False] * 100 + [True] * 50 + [False] * 800
    expected = case["expected"]["percentage_agreement"]
    assert percent_agreement(a, b) == pytest.approx(expected, abs=case["tolerance"])


def test_it_reproduces_nvivo_kappa(cases):
    case = cases["nvivo_coding_comparison"]
    kappa = character_kappa([(0, 50), (50, 150)], [(0, 50), (150, 200)], 1000)
    expected = case["expected"]["kappa_for_derived_split"]
    assert kappa == pytest.approx(expected, abs=case["tolerance"])


def test_it_gives_nvivo_zero_when_one_coder_coded_nothing(cases):
    assert character_kappa([], [(0, 200)], 1000) == 0.0


def test_it_gives_nvivo_one_when_neither_coder_coded():
    assert character_kappa([], [], 1000) == 1.0


# --- other published values ---------------------------------------------------------

# Gwet's irrCAC dataset cont3x3abstractors (Gwet 2014); irrCAC reports AC1 .849,
# Cohen .796, Brennan-Prediger .835, percent agreement .890 (3 d.p.).
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def test_it_reproduces_irrcac_abstractors():
    a, b = expand(ABSTRACTORS, ["Ectopic", "AIU", "NIU"])
    assert gwet_ac1(a, b) == pytest.approx(0.849, abs=5e-4)
    assert cohen_kappa(a, b) == pytest.approx(0.796, abs=5e-4)
    assert brennan_prediger(a, b) == pytest.approx(0.835, abs=5e-4)
    assert percent_agreement(a, b) == pytest.approx(0.890, abs=5e-4)


def book_figure_12_11():
    """Krippendorff (2019, Fig. 12.11): 3 observers, L = 60, 1-based inclusive offsets."""
    observers = {
        "alex": [(1, 7, 1), (8, 13, 2), (31, 32, 5), (33, 37, 6), (38, 44, 6), (45, 60, 7)],
        "paul": [(1, 7, 1), (8, 13, 3), (14, 21, 5), (33, 44, 6)],
        "suzan": [(1, 7, 1), (8, 13, 4), (14, 21, 5), (33, 37, 6), (38, 41, 6), (42, 44, 6)],
    }
    return {name: [(s - 1, e, code) for s, e, code in segs] for name, segs in observers.items()}


@pytest.mark.parametrize("variant, expected", [("u", 0.510), ("binary", 0.413), ("cu", 0.724)])
def test_it_reproduces_krippendorff_2019_unitizing_example(variant, expected):
    # The book prints 3 decimals; |u-alpha computes to .4136, hence 1e-3 there.
    alpha = unitizing_alpha(book_figure_12_11(), 60, variant=variant)
    assert alpha == pytest.approx(expected, abs=1e-3 if variant == "binary" else 5e-4)


# --- hand-computed unitizing ----------------------------------------------------------


def test_it_computes_u_alpha_for_two_shifted_segments():
    # [0,2) x/gap, [2,4) x/x, [4,6) gap/x, [6,8) gap/gap: D_o = 8,
    # D_e = (16² - 8² - 8²) / (16 - (4² + 4² + 8) / 16) = 128 / 13.5, alpha = 5/32.
    segments = {"ann": [(0, 4, "x")], "ben": [(2, 6, "x")]}
    assert unitizing_alpha(segments, 8) == pytest.approx(5 / 32, abs=1e-12)


def test_it_gives_u_alpha_one_for_identical_unitizing():
    segments = {"ann": [(0, 5, "x"), (5, 8, "y")], "ben": [(0, 5, "x"), (5, 8, "y")]}
    assert unitizing_alpha(segments, 10) == 1.0


def test_it_computes_cu_alpha_on_the_overlap_only():
    # Restricted matrix: x/x over 3, x/y over 3 => D_o = 6; margins x 9, y 3, total 12;
    # self pairs 6² + 3² + 3² = 54; D_e = (144 - 81 - 9) / (12 - 54/12) = 7.2.
    segments = {"ann": [(0, 6, "x")], "ben": [(0, 3, "x"), (3, 6, "y")]}
    assert unitizing_alpha(segments, 10, variant="cu") == pytest.approx(1 / 6, abs=1e-12)


def test_it_ignores_codes_in_binary_u_alpha():
    segments = {"ann": [(0, 6, "x")], "ben": [(0, 3, "x"), (3, 6, "y")]}
    assert unitizing_alpha(segments, 10, variant="binary") == 1.0


def test_it_allows_overlapping_codes_of_one_coder_in_binary_u_alpha():
    segments = {"ann": [(0, 4, "x"), (2, 6, "y")], "ben": [(0, 6, "z")]}
    assert unitizing_alpha(segments, 10, variant="binary") == 1.0


def test_it_merges_overlapping_segments_of_one_code():
    overlapping = {"ann": [(0, 3, "x"), (1, 4, "x")], "ben": [(2, 6, "x")]}
    merged = {"ann": [(0, 4, "x")], "ben": [(2, 6, "x")]}
    assert unitizing_alpha(overlapping, 8) == unitizing_alpha(merged, 8)


def test_it_ignores_zero_length_segments():
    segments = {"ann": [(0, 4, "x"), (6, 6, "y")], "ben": [(2, 6, "x")]}
    assert unitizing_alpha(segments, 8) == pytest.approx(5 / 32, abs=1e-12)


def test_it_rejects_overlapping_codes_of_one_domain():
    segments = {"ann": [(0, 4, "x"), (2, 6, "y")], "ben": [(0, 6, "x")]}
    with pytest.raises(ValueError, match="'ann' applies 'x' and 'y' to overlapping text"):
        unitizing_alpha(segments, 10)


@pytest.mark.parametrize("segment", [(-1, 3, "x"), (2, 11, "x"), (5, 4, "x")])
def test_it_rejects_segments_outside_the_continuum(segment):
    with pytest.raises(ValueError, match="outside 0..10"):
        unitizing_alpha({"ann": [segment], "ben": []}, 10)


def test_it_needs_two_coders_for_unitizing_alpha():
    with pytest.raises(ValueError, match="two coders"):
        unitizing_alpha({"ann": [(0, 4, "x")]}, 10)


def test_it_rejects_an_unknown_variant():
    with pytest.raises(ValueError, match="variant"):
        unitizing_alpha({"ann": [], "ben": []}, 10, variant="gamma")


@pytest.mark.parametrize("variant", ["u", "binary", "cu", "1995"])
def test_it_calls_unitizing_alpha_undefined_when_nothing_was_coded(variant):
    with pytest.raises(AgreementUndefined):
        unitizing_alpha({"ann": [], "ben": []}, 10, variant=variant)


def test_it_calls_cu_alpha_undefined_for_a_single_code():
    segments = {"ann": [(0, 6, "x")], "ben": [(2, 8, "x")]}
    with pytest.raises(AgreementUndefined):
        unitizing_alpha(segments, 10, variant="cu")


def per_character_alpha(continua, length, variant):
    """Reference: the 2016 definitions evaluated character by character (tests only)."""
    m, gap = len(continua), object()
    values = []
    for segs in continua:
        row = [gap] * length
        for start, end, code in segs:
            row[start:end] = ["coded" if variant == "binary" else code] * (end - start)
        values.append(row)
    coincidences, self_pairs = Counter(), 0.0
    for x in range(length):
        for i in range(m):
            for j in range(m):
                if i != j and (variant != "cu" or gap not in (values[i][x], values[j][x])):
                    coincidences[values[i][x], values[j][x]] += 1 / (m - 1)
    for segs in continua:
        for start, end, _ in segs:
            if variant == "cu":
                others = sum(values[j][x] is not gap for x in range(start, end) for j in range(m))
                self_pairs += ((others - (end - start)) / (m - 1)) ** 2
            else:
                self_pairs += (end - start) ** 2
        if variant != "cu":
            self_pairs += length - sum(end - start for start, end, _ in segs)
    margins = Counter()
    for (c, _), n in coincidences.items():
        margins[c] += n
    total = sum(margins.values())
    observed = sum(n for (c, k), n in coincidences.items() if c != k)
    expected = (total**2 - sum(n * n for n in margins.values())) / (total - self_pairs / total)
    return 1 - observed / expected


def random_continua(rng, length, coders, codes):
    continua = []
    for _ in range(coders):
        segs, cursor = [], 0
        while (end := (start := cursor + rng.randint(0, 8)) + rng.randint(1, 10)) <= length:
            segs.append((start, end, rng.choice(codes)))
            cursor = end
        continua.append(segs)
    return continua


@pytest.mark.parametrize("variant", ["u", "binary", "cu"])
@pytest.mark.parametrize("seed", range(6))
def test_it_matches_the_per_character_definition(variant, seed):
    rng = random.Random(seed)
    length = rng.randint(30, 80)
    continua = random_continua(rng, length, 2 + seed % 3, ["a", "b", "c"])
    segments = {f"coder{i}": segs for i, segs in enumerate(continua)}
    expected = per_character_alpha(continua, length, variant)
    assert unitizing_alpha(segments, length, variant) == pytest.approx(expected, abs=1e-12)


# --- degenerate and malformed input -------------------------------------------------

TWO_COEFFICIENTS = [cohen_kappa, scott_pi, brennan_prediger, gwet_ac1]


@pytest.mark.parametrize("coefficient", TWO_COEFFICIENTS)
def test_it_calls_kappas_undefined_for_one_category(coefficient):
    with pytest.raises(AgreementUndefined):
        coefficient(["x"] * 5, ["x"] * 5)


def test_it_keeps_percent_agreement_for_one_category():
    assert percent_agreement(["x"] * 5, ["x"] * 5) == 1.0


@pytest.mark.parametrize("coefficient", [percent_agreement, *TWO_COEFFICIENTS])
def test_it_rejects_codings_of_unequal_length(coefficient):
    with pytest.raises(ValueError, match="differ in length"):
        coefficient(["x", "y"], ["x"])


@pytest.mark.parametrize("coefficient", [percent_agreement, *TWO_COEFFICIENTS])
def test_it_calls_empty_codings_undefined(coefficient):
    with pytest.raises(AgreementUndefined):
        coefficient([None, "x"], ["y", None])


def test_it_skips_pairs_with_a_missing_rating():
    assert cohen_kappa(["x", "y", None, "x"], ["x", "y", "y", None]) == 1.0


def test_it_fixes_brennan_prediger_q_from_the_codebook():
    a, b = ["x", "x", "y", "y"], ["x", "y", "y", "y"]
    assert brennan_prediger(a, b) == pytest.approx(0.5)
    assert brennan_prediger(a, b, categories={"x", "y", "z", "w"}) == pytest.approx(2 / 3)


def test_it_rejects_labels_outside_the_categories():
    with pytest.raises(ValueError, match="outside the given categories"):
        brennan_prediger(["x", "q"], ["x", "x"], categories={"x", "y"})


def test_it_rejects_fleiss_counts_with_unequal_raters():
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa([[2, 1], [1, 1]])


def test_it_rejects_ragged_fleiss_rows():
    with pytest.raises(ValueError, match="every category"):
        fleiss_kappa([[2, 1], [1, 1, 1]])


def test_it_calls_fleiss_undefined_for_one_category():
    with pytest.raises(AgreementUndefined):
        fleiss_kappa([[3, 0], [3, 0]])


def test_it_calls_alpha_undefined_without_pairable_values():
    with pytest.raises(AgreementUndefined):
        krippendorff_alpha([[1, None], [None, 2]])


def test_it_calls_alpha_undefined_without_variation():
    with pytest.raises(AgreementUndefined):
        krippendorff_alpha([[1, 1, 1], [1, 1, 1]])


def test_it_rejects_an_unknown_level():
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha([[1, 2], [1, 2]], level="circular")


def test_it_rejects_coders_with_different_unit_counts():
    with pytest.raises(ValueError, match="every unit"):
        krippendorff_alpha([[1, 2, 3], [1, 2]])


# --- bootstrap -----------------------------------------------------------------------


def test_it_repeats_the_bootstrap_for_one_seed(cases):
    data = cases["kripp_alpha_K2011_4x12"]["input"]["data"]
    first = bootstrap_alpha_interval(data, samples=300, seed=7)
    assert bootstrap_alpha_interval(data, samples=300, seed=7) == first


def test_it_keeps_the_seeded_bootstrap_intervals_bit_for_bit(cases):
    # Pinned from the numpy resampling (Generator.multinomial over the kinds of
    # unit): a memoised or exported interval must not change with a speed-up.
    # (The pure-Python binomial chains before it gave other, equally valid draws.)
    data = cases["kripp_alpha_K2011_4x12"]["input"]["data"]
    assert bootstrap_alpha_interval(data, samples=300, seed=7) == (0.38710698689956335, 1.0)
    assert bootstrap_alpha_interval(data, level="ordinal", samples=300, seed=7) == (
        0.3896476999766028,
        1.0,
    )
    assert bootstrap_alpha_interval(data, level="interval", samples=300, seed=7) == (
        0.3511374332518781,
        1.0,
    )
    three = [[1, 2, 1, 2, 1, 2, 1, 1], [1, 2, 1, 1, 1, 2, 2, 1], [2, 2, 1, 2, 1, 2, 1, None]]
    assert bootstrap_alpha_interval(three, samples=300, seed=3) == (
        -0.07828584558823526,
        0.8391608391608392,
    )


@functools.cache
def reference_alphas(data_key: tuple, level: str, samples: int, seed: int) -> list[float]:
    """Slow reference: draw units one by one with replacement and recompute alpha from scratch."""
    pairable = [
        column for column in zip(*data_key, strict=True) if sum(v is not None for v in column) >= 2
    ]
    rng = random.Random(seed)
    alphas = []
    for _ in range(samples):
        drawn = rng.choices(pairable, k=len(pairable))
        try:
            alphas.append(
                krippendorff_alpha([list(row) for row in zip(*drawn, strict=True)], level)
            )
        except AgreementUndefined:
            continue
    return sorted(alphas)


def reference_bootstrap(data, level, samples, seed, confidence):
    alphas = reference_alphas(tuple(map(tuple, data)), level, samples, seed)

    def quantile(q):
        position = q * (len(alphas) - 1)
        low = int(position)
        high = min(low + 1, len(alphas) - 1)
        return alphas[low] + (alphas[high] - alphas[low]) * (position - low)

    tail = (1 - confidence) / 2
    return quantile(tail), quantile(1 - tail)


def three_coders(seed, units, labels):
    rng = random.Random(seed)
    first = [rng.choice(labels) for _ in range(units)]
    others = [
        [value if rng.random() < 0.8 else rng.choice(labels) for value in first] for _ in range(2)
    ]
    others[1][::7] = [None] * len(others[1][::7])  # some missing values: m_u of 2 and 3
    return [first, *others]


@pytest.mark.parametrize(
    ("data", "level"),
    [
        (three_coders(1, 150, [True, False]), "nominal"),
        (three_coders(2, 120, ["hope", "fear", "anger"]), "nominal"),
        (three_coders(3, 120, [1, 2, 3, 4, 5]), "ordinal"),
        (three_coders(4, 120, [1, 2, 3, 4, 5]), "interval"),
        (three_coders(5, 120, [1, 2, 4, 8]), "ratio"),
    ],
)
@pytest.mark.parametrize("confidence", [0.95, 0.5])
def test_it_draws_the_bootstrap_like_a_slow_reference(data, level, confidence):
    # Other random streams, so only close: with 3,000 resamples a 2.5 % quantile of
    # these skewed alphas is off by up to about 0.005 (one standard error); 0.02
    # allows for chance, not for a wrong resample (a skewed draw or a lost
    # 1/(m_u - 1) moves the quantiles by far more).
    fast = bootstrap_alpha_interval(data, level, samples=3000, seed=11, confidence=confidence)
    slow = reference_bootstrap(data, level, samples=3000, seed=12, confidence=confidence)
    assert fast == pytest.approx(slow, abs=0.02)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_it_computes_each_resample_alpha_as_the_statistics_do(level):
    # Exact check of the array arithmetic: any counts of each kind of unit give
    # the alpha that krippendorff_alpha gives for those units.
    rng = random.Random(level)
    data = three_coders(len(level), 40, [1, 2, 3, 5])
    kinds = list(
        {
            frozenset(Counter(value for value in column if value is not None).items())
            for column in zip(*data, strict=True)
            if sum(value is not None for value in column) >= 2
        }
    )
    draws = [[rng.randint(0, 6) for _ in kinds] for _ in range(50)] + [[0] * len(kinds)]
    draws[0] = [0] * len(kinds)
    draws[0][0] = 5  # one kind only: may leave alpha undefined
    for counts, alpha in zip(draws, alphas_of_resamples(kinds, draws, level), strict=True):
        patterns = Counter()
        for present, count in zip(kinds, counts, strict=True):
            if count:
                patterns[tuple(v for v, n in sorted(present) for _ in range(n))] += count
        try:
            expected = alpha_from_patterns(patterns, level)
        except AgreementUndefined:
            expected = None
        assert alpha == (None if expected is None else pytest.approx(expected, abs=1e-12))


def test_it_draws_the_same_interval_whatever_the_hash_seed_or_unit_order():
    code = (
        "from codebook.agreement import bootstrap_alpha_interval\n"
        "data = [list('xyzxyzxxyzzx') * 3, list('xyzxxzxyyzzx') * 3, list('xzzxyzxxyzyx') * 3]\n"
        "print(repr(bootstrap_alpha_interval(data, samples=200, seed=4)))\n"
    )
    found = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2", "3")
    }
    assert len(found) == 1
    data = [list("xyzxyzxxyzzx") * 3, list("xyzxxzxyyzzx") * 3, list("xzzxyzxxyzyx") * 3]
    shuffled = [row[::-1] for row in data]  # same units, other order
    assert repr(bootstrap_alpha_interval(shuffled, samples=200, seed=4)) + "\n" in found


def test_it_derives_the_pairwise_coefficients_from_one_table():
    rng = random.Random(11)
    a = [rng.choice("xyz") for _ in range(200)]
    b = [rng.choice("xyz") if rng.random() < 0.4 else v for v in a]
    table = pair_counts(a, b)
    assert percent_from_pairs(*table) == percent_agreement(a, b)
    assert cohen_from_pairs(*table) == cohen_kappa(a, b)
    assert brennan_prediger_from_pairs(*table, "xyzw") == brennan_prediger(a, b, "xyzw")
    assert ac1_from_pairs(*table) == gwet_ac1(a, b)


def test_it_brackets_alpha_with_the_bootstrap(cases):
    data = cases["kripp_alpha_K2011_4x12"]["input"]["data"]
    low, high = bootstrap_alpha_interval(data, level="interval", samples=500, seed=1)
    assert low <= krippendorff_alpha(data, level="interval") <= high <= 1.0


def test_it_narrows_the_bootstrap_with_more_units():
    few = [[1, 2, 1, 2, 1, 2, 1, 1], [1, 2, 1, 1, 1, 2, 2, 1]]
    many = [row * 20 for row in few]
    low_few, high_few = bootstrap_alpha_interval(few, samples=400, seed=3)
    low_many, high_many = bootstrap_alpha_interval(many, samples=400, seed=3)
    assert high_many - low_many < high_few - low_few


def test_it_calls_the_bootstrap_undefined_without_variation():
    with pytest.raises(AgreementUndefined):
        bootstrap_alpha_interval([[1, 1], [1, 1]], samples=10)
