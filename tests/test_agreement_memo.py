"""Memoised bootstrap intervals and unitizing alphas give exactly what the statistics give."""

import pytest
from django.core.cache import cache

from codebook.agreement import (
    AgreementUndefined,
    bootstrap_alpha_interval,
    unit_patterns,
    unitizing_alpha,
)
from codebook.reliability.report import remembered_interval, remembered_unitizing
from codebook.unitizing import CodedContinuum

SEGMENTS = {1: [(0, 10, "x"), (20, 30, "y")], 2: [(2, 10, "x"), (20, 28, "x")]}


def remembered(segments, length, variant):
    codes = {code for segs in segments.values() for _, _, code in segs}
    return remembered_unitizing(CodedContinuum(segments, length), codes, variant)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_it_remembers_the_bootstrap_interval_it_computed():
    data = {"a": [True, False, True, True, False], "b": [True, False, False, True, False]}
    expected = bootstrap_alpha_interval(data, samples=200)
    patterns = unit_patterns(data)
    assert remembered_interval(patterns, samples=200) == expected
    assert remembered_interval(patterns, samples=200) == expected
    assert remembered_interval(patterns, samples=201) == bootstrap_alpha_interval(data, samples=201)


@pytest.mark.parametrize("variant", ["u", "binary", "cu"])
def test_it_remembers_unitizing_alphas_per_variant(variant):
    expected = unitizing_alpha(SEGMENTS, 40, variant)
    assert remembered(SEGMENTS, 40, variant) == expected
    assert remembered(SEGMENTS, 40, variant) == expected


def test_it_remembers_that_a_coefficient_is_undefined():
    nothing = {1: [], 2: []}
    for _ in range(2):
        with pytest.raises(AgreementUndefined):
            remembered(nothing, 40, "binary")


def test_it_tells_apart_the_codes_of_one_continuum():
    continuum = CodedContinuum({1: [(0, 10, "x"), (20, 30, "y")], 2: [(2, 10, "x")]}, 40)
    only_x = {1: [(0, 10, "x")], 2: [(2, 10, "x")]}
    only_y = {1: [(20, 30, "y")], 2: []}
    assert remembered_unitizing(continuum, ["x"], "binary") == unitizing_alpha(only_x, 40, "binary")
    assert remembered_unitizing(continuum, ["y"], "binary") == unitizing_alpha(only_y, 40, "binary")
    assert remembered_unitizing(continuum, ["x"], "binary") != remembered_unitizing(
        continuum, ["y"], "binary"
    )


def test_it_tells_apart_continua_that_differ_in_one_segment_or_coder():
    one = CodedContinuum(SEGMENTS, 40)
    moved = CodedContinuum({**SEGMENTS, 2: [(3, 10, "x"), (20, 28, "x")]}, 40)
    third = CodedContinuum({**SEGMENTS, 3: []}, 40)
    reordered = CodedContinuum({2: SEGMENTS[2][::-1], 1: SEGMENTS[1]}, 40)
    assert one.fingerprint() != moved.fingerprint()
    assert one.fingerprint() != third.fingerprint()
    assert one.fingerprint() == reordered.fingerprint()
    assert remembered_unitizing(moved, ["x"], "binary") == unitizing_alpha(
        {1: [(0, 10, "x")], 2: [(3, 10, "x"), (20, 28, "x")]}, 40, "binary"
    )


def test_it_remembers_refused_input_as_a_value_error():
    overlapping = {1: [(0, 10, "x"), (5, 15, "y")], 2: [(0, 10, "x")]}
    for _ in range(2):
        with pytest.raises(ValueError, match="overlapping"):
            remembered(overlapping, 40, "u")
