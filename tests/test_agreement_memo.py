"""Memoised bootstrap intervals and unitizing alphas give exactly what the statistics give."""

import pytest
from django.core.cache import cache

from codebook.agreement import AgreementUndefined, bootstrap_alpha_interval, unitizing_alpha
from codebook.reliability.report import remembered_interval, unitizing_memo

SEGMENTS = {1: [(0, 10, "x"), (20, 30, "y")], 2: [(2, 10, "x"), (20, 28, "x")]}


def remembered_unitizing(segments, length, variant):
    codings = [(coder, s, e, code) for coder, segs in segments.items() for s, e, code in segs]
    return unitizing_memo(codings, length)(segments, length, variant)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_it_remembers_the_bootstrap_interval_it_computed():
    data = {"a": [True, False, True, True, False], "b": [True, False, False, True, False]}
    expected = bootstrap_alpha_interval(data, samples=200)
    assert remembered_interval(data, samples=200) == expected
    assert remembered_interval(data, samples=200) == expected
    assert remembered_interval(data, samples=201) == bootstrap_alpha_interval(data, samples=201)


@pytest.mark.parametrize("variant", ["u", "binary", "cu"])
def test_it_remembers_unitizing_alphas_per_variant(variant):
    expected = unitizing_alpha(SEGMENTS, 40, variant)
    assert remembered_unitizing(SEGMENTS, 40, variant) == expected
    assert remembered_unitizing(SEGMENTS, 40, variant) == expected


def test_it_remembers_that_a_coefficient_is_undefined():
    nothing = {1: [], 2: []}
    for _ in range(2):
        with pytest.raises(AgreementUndefined):
            remembered_unitizing(nothing, 40, "binary")


def test_it_tells_apart_the_codes_of_one_continuum():
    memo = unitizing_memo([(1, 0, 10, "x"), (2, 2, 10, "x"), (1, 20, 30, "y")], 40)
    only_x = {1: [(0, 10, "x")], 2: [(2, 10, "x")]}
    only_y = {1: [(20, 30, "y")], 2: []}
    assert memo(only_x, 40, "binary") == unitizing_alpha(only_x, 40, "binary")
    assert memo(only_y, 40, "binary") == unitizing_alpha(only_y, 40, "binary")
    assert memo(only_x, 40, "binary") != memo(only_y, 40, "binary")


def test_it_remembers_refused_input_as_a_value_error():
    overlapping = {1: [(0, 10, "x"), (5, 15, "y")], 2: [(0, 10, "x")]}
    for _ in range(2):
        with pytest.raises(ValueError, match="overlapping"):
            remembered_unitizing(overlapping, 40, "u")
