"""Turn codings into units of analysis for the agreement statistics (no ORM).

Codings are plain tuples ``(coder, start, end, code)``; units are the caller's
sentences or speaker turns as a sorted list of ``(start, end)``. All offsets are
half-open ``[start, end)`` code-point indices into one transcript. Zero-length
codings are ignored (some tools export empty selections). Everything works by
sweeping sorted boundaries, never character by character.
"""

import bisect
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from operator import itemgetter
from typing import NamedTuple

from codebook.agreement import AgreementUndefined


class OverlapConflict(NamedTuple):
    """A unit where one coder's codes of one group both reach the threshold."""

    coder: Hashable
    unit: int
    codes: tuple  # largest coverage first


class NominalValues(NamedTuple):
    values: dict  # coder -> one value per unit
    conflicts: list[OverlapConflict]


class SegmentAgreement(NamedTuple):
    agree_a: int
    disagree_a: int
    agree_b: int
    disagree_b: int
    percent_agreement: float
    kappa: float | None  # None when fewer than two codes (chance is 1)
    by_code: dict  # code -> (agree_a, disagree_a, agree_b, disagree_b)
    unmatched_a: list[tuple]  # (start, end, code) of coder A without a match
    unmatched_b: list[tuple]


class Passage(NamedTuple):
    start: int
    end: int
    coders: frozenset  # who applied the code here


def _check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold!r}")


class CheckedUnits(list):
    """Units already validated by ``checked_units``: later calls skip the check."""


def checked_units(units: Sequence) -> CheckedUnits:
    """Return ``units`` validated once, for a caller that passes them to many functions here."""
    return units if isinstance(units, CheckedUnits) else CheckedUnits(_checked_units(units))


def _checked_units(units: Sequence) -> list[tuple]:
    if isinstance(units, CheckedUnits):
        return units
    previous_end = None
    for start, end in units:
        if start >= end:
            raise ValueError(f"unit ({start}, {end}) is empty or reversed")
        if previous_end is not None and start < previous_end:
            raise ValueError(f"unit ({start}, {end}) is out of order or overlaps the one before")
        previous_end = end
    return [(start, end) for start, end in units]


def _checked(start, end) -> bool:
    if start < 0 or end < start:
        raise ValueError(f"coding ({start}, {end}) has negative or reversed offsets")
    return start < end


def _union(intervals: Iterable[tuple], touching: bool = True) -> list[tuple]:
    """Merge intervals so that text coded twice by one coder counts once."""
    merged: list[list] = []
    for start, end in sorted(intervals):
        if merged and (start < merged[-1][1] or touching and start == merged[-1][1]):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _intervals_by_coder(codings: Iterable[tuple], code) -> dict:
    found = defaultdict(list)
    for coder, start, end, coded in codings:
        if coded == code and _checked(start, end):
            found[coder].append((start, end))
    return {coder: _union(intervals) for coder, intervals in found.items()}


def _coverage(intervals: list[tuple], units: list[tuple], unit_ends: list) -> dict[int, int]:
    """Return covered length per touched unit index; untouched units are absent."""
    covered: dict[int, int] = defaultdict(int)
    for start, end in intervals:
        index = bisect.bisect_right(unit_ends, start)
        while index < len(units) and units[index][0] < end:
            unit_start, unit_end = units[index]
            covered[index] += min(end, unit_end) - max(start, unit_start)
            index += 1
    return covered


def _reaches(covered: int, unit: tuple, threshold: float) -> bool:
    # Dividing (not multiplying the threshold) keeps "exactly met" exact: 3/10 == 0.3.
    return covered > 0 and covered / (unit[1] - unit[0]) >= threshold


def code_presence_by_unit(
    codings: Iterable[tuple], units: Sequence, coders: Sequence, code, threshold: float = 0.5
) -> dict:
    """Return ``{coder: [bool per unit]}``: did the coder apply ``code`` to the unit?

    A unit counts as coded when the union of that coder's codings of ``code``
    covers at least ``threshold`` of its characters. The result can go straight to
    ``krippendorff_alpha``; index a coder's list for the pairwise coefficients.
    """
    _check_threshold(threshold)
    units = _checked_units(units)
    unit_ends = [end for _, end in units]
    intervals = _intervals_by_coder(codings, code)
    presence = {}
    for coder in coders:
        row = [False] * len(units)
        for index, covered in _coverage(intervals.get(coder, []), units, unit_ends).items():
            row[index] = _reaches(covered, units[index], threshold)
        presence[coder] = row
    return presence


def nominal_value_by_unit(
    codings: Iterable[tuple],
    units: Sequence,
    coders: Sequence,
    codes: Sequence,
    threshold: float = 0.5,
    *,
    uncoded=None,
) -> NominalValues:
    """Return one code of a group per unit per coder, and the overlap conflicts.

    A code qualifies when it covers at least ``threshold`` of the unit. Several
    qualifying codes: the one covering most wins (ties go to the earlier code in
    ``codes``) and the unit is listed as an OverlapConflict. No qualifying code
    gives ``uncoded``; the default None reads as *missing* to krippendorff_alpha,
    so pass a label such as "(uncoded)" to count "no code" as a value.
    """
    _check_threshold(threshold)
    units = _checked_units(units)
    unit_ends = [end for _, end in units]
    codes = list(codes)
    wanted = set(codes)
    by_coder_code: dict = defaultdict(list)
    for coder, start, end, code in codings:
        if code in wanted and _checked(start, end):
            by_coder_code[coder, code].append((start, end))
    values, conflicts = {}, []
    for coder in coders:
        qualifying: dict[int, list] = defaultdict(list)
        for order, code in enumerate(codes):
            intervals = _union(by_coder_code.get((coder, code), []))
            for index, covered in _coverage(intervals, units, unit_ends).items():
                if _reaches(covered, units[index], threshold):
                    qualifying[index].append((-covered, order, code))
        row = [uncoded] * len(units)
        for index, candidates in qualifying.items():
            candidates.sort(key=lambda c: c[:2])
            row[index] = candidates[0][2]
            if len(candidates) > 1:
                conflicts.append(OverlapConflict(coder, index, tuple(c[2] for c in candidates)))
        values[coder] = row
    conflicts.sort(key=lambda c: (c.unit, list(coders).index(c.coder)))
    return NominalValues(values, conflicts)


def _matches(segments: list[tuple], others: list[tuple], threshold: float) -> list[bool]:
    """Flag each segment that some other segment overlaps by >= threshold of their union."""
    other_ends = [end for _, end in others]
    flags = []
    for start, end in segments:
        index = bisect.bisect_right(other_ends, start)
        matched = False
        while index < len(others) and others[index][0] < end:
            other_start, other_end = others[index]
            shared = min(end, other_end) - max(start, other_start)
            spanned = max(end, other_end) - min(start, other_start)
            if shared / spanned >= threshold:
                matched = True
                break
            index += 1
        flags.append(matched)
    return flags


def _segments_by_code(codings: Iterable[tuple]) -> dict:
    found = defaultdict(list)
    for start, end, code in codings:
        if _checked(start, end):
            found[code].append((start, end))
    # Touching segments stay two segments: each was a separate coding act.
    return {code: _union(intervals, touching=False) for code, intervals in found.items()}


def segment_overlap_agreement(
    codings_a: Iterable[tuple], codings_b: Iterable[tuple], threshold: float = 0.9, *, codes=None
) -> SegmentAgreement:
    """Return MAXQDA-style segment agreement between two coders' ``(start, end, code)``.

    A segment agrees when the other coder has the same code on a segment whose
    overlap is at least ``threshold`` of the text the two segments span together
    (intersection / union, "the total area covered by both"). Overlapping segments
    of one code by one coder are merged first; touching ones stay two. Every segment of
    both coders is judged, so percent agreement = agreements / all segments, i.e.
    a / (a + b + c) with the both-uncoded cell left out as MAXQDA does. ``kappa``
    is Brennan & Prediger's with chance 1/K, K = len(codes) (default: the codes
    either coder used); None when K < 2. Raises AgreementUndefined when neither
    coder coded anything.
    """
    _check_threshold(threshold)
    segments_a, segments_b = _segments_by_code(codings_a), _segments_by_code(codings_b)
    code_list = sorted(segments_a.keys() | segments_b.keys(), key=repr)
    by_code, unmatched_a, unmatched_b = {}, [], []
    for code in code_list:
        a, b = segments_a.get(code, []), segments_b.get(code, [])
        flags_a, flags_b = _matches(a, b, threshold), _matches(b, a, threshold)
        by_code[code] = (sum(flags_a), len(a) - sum(flags_a), sum(flags_b), len(b) - sum(flags_b))
        unmatched_a += [(s, e, code) for (s, e), ok in zip(a, flags_a, strict=True) if not ok]
        unmatched_b += [(s, e, code) for (s, e), ok in zip(b, flags_b, strict=True) if not ok]
    agree_a, disagree_a, agree_b, disagree_b = (
        sum(t[i] for t in by_code.values()) for i in range(4)
    )
    judged = agree_a + disagree_a + agree_b + disagree_b
    if judged == 0:
        raise AgreementUndefined("neither coder coded anything")
    observed = (agree_a + agree_b) / judged
    k = len(set(codes)) if codes is not None else len(code_list)
    kappa = (observed - 1 / k) / (1 - 1 / k) if k >= 2 else None
    unmatched_a.sort(key=itemgetter(0, 1))
    unmatched_b.sort(key=itemgetter(0, 1))
    return SegmentAgreement(
        agree_a, disagree_a, agree_b, disagree_b, observed, kappa, by_code, unmatched_a, unmatched_b
    )


def disagreeing_units(values_by_coder) -> list[int]:
    """Return the indices of units where the coders' values are not all equal.

    Takes ``{coder: [value per unit]}`` (as built above) or a list of rows; None
    counts as a value here, so "coded" against "not coded" shows up.
    """
    rows = list(values_by_coder.values()) if isinstance(values_by_coder, dict) else values_by_coder
    return [index for index, values in enumerate(zip(*rows, strict=True)) if len(set(values)) > 1]


def disagreeing_passages(
    codings: Iterable[tuple], coders: Sequence, code, start: int = 0, end: int | None = None
) -> list[Passage]:
    """Return the stretches of ``[start, end)`` where some but not all coders applied ``code``.

    Each Passage names the coders who applied it there; pass a unit's bounds to
    show what the coders disagree on inside it.
    """
    intervals = _intervals_by_coder(codings, code)
    events = []
    for coder in coders:
        for s, e in intervals.get(coder, []):
            s, e = max(s, start), e if end is None else min(e, end)
            if s < e:
                events += [(s, 1, coder), (e, -1, coder)]
    events.sort(key=lambda event: (event[0], event[1]))
    passages: list[Passage] = []
    active: set = set()
    previous = None
    for position, change, coder in events:
        if previous is not None and position > previous and 0 < len(active) < len(coders):
            here = frozenset(active)
            if passages and passages[-1].end == previous and passages[-1].coders == here:
                passages[-1] = passages[-1]._replace(end=position)
            else:
                passages.append(Passage(previous, position, here))
        previous = position
        if change > 0:
            active.add(coder)
        else:
            active.discard(coder)
    return passages
