"""Turn codings into units of analysis for the agreement statistics (no ORM).

Codings are plain tuples ``(coder, start, end, code)``; units are the caller's
sentences or speaker turns as a sorted list of ``(start, end)``. All offsets are
half-open ``[start, end)`` code-point indices into one transcript. Zero-length
codings are ignored (some tools export empty selections). Everything works by
sweeping sorted boundaries, never character by character: the arithmetic is in
``codebook.coverage`` (numpy, imported only when a function here is called).
"""

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
    """Units already validated by ``checked_units``: later calls skip the check.

    They also keep their bounds as arrays once made, for every code of a report.
    """

    arrays: tuple | None = None


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


def _unit_arrays(units: list[tuple]) -> tuple:
    """Return the units' starts, ends and lengths as arrays (kept on CheckedUnits)."""
    from codebook.coverage import as_array  # noqa: PLC0415 (numpy, lazily)

    if getattr(units, "arrays", None) is None:
        starts = as_array([start for start, _ in units])
        ends = as_array([end for _, end in units])
        arrays = (starts, ends, ends - starts)
        if not isinstance(units, CheckedUnits):
            return arrays
        units.arrays = arrays
    return units.arrays


def _offsets(rows: Sequence[tuple], where: int = 1) -> tuple:
    from codebook.coverage import as_array  # noqa: PLC0415 (numpy, lazily)

    return as_array([row[where] for row in rows]), as_array([row[where + 1] for row in rows])


def _refuse_bad_offsets(starts, ends, rows: Sequence[tuple], where: int = 1) -> None:
    """Raise ValueError naming the first coding with negative or reversed offsets."""
    bad = (starts < 0) | (ends < starts)
    if bad.any():
        row = rows[int(bad.argmax())]
        _checked(row[where], row[where + 1])


def covered_by_unit(codings: Iterable[tuple], units: Sequence, coders: Sequence, code) -> list:
    """Return, per coder, an array of the characters of each unit covered by ``code``.

    Overlapping codings of one coder count once. ``units`` as for
    ``code_presence_by_unit``; raises ValueError for a coding with negative or
    reversed offsets (of any coder).
    """
    from codebook.coverage import as_array, covered, merged  # noqa: PLC0415 (numpy, lazily)

    units = checked_units(units)
    unit_starts, unit_ends, _ = _unit_arrays(units)
    rows = [coding for coding in codings if coding[3] == code]
    starts, ends = _offsets(rows)
    _refuse_bad_offsets(starts, ends, rows)
    index = {coder: i for i, coder in enumerate(coders)}
    owner = as_array([index.get(row[0], -1) for row in rows])
    result = []
    for i in range(len(coders)):
        mine = (owner == i) & (starts < ends)  # zero-length codings carry no text
        union_starts, union_ends = merged(starts[mine], ends[mine])
        result.append(covered(union_starts, union_ends, unit_starts, unit_ends))
    return result


def presence_from_covered(covered_rows: list, units: Sequence, threshold: float) -> list:
    """Return, per coder, a boolean array: does the covered length reach ``threshold``?"""
    from codebook.coverage import reaching  # noqa: PLC0415 (numpy, lazily)

    _check_threshold(threshold)
    _, _, lengths = _unit_arrays(checked_units(units))
    return [reaching(row, lengths, threshold) for row in covered_rows]


def code_presence_by_unit(
    codings: Iterable[tuple], units: Sequence, coders: Sequence, code, threshold: float = 0.5
) -> dict:
    """Return ``{coder: [bool per unit]}``: did the coder apply ``code`` to the unit?

    A unit counts as coded when the union of that coder's codings of ``code``
    covers at least ``threshold`` of its characters. The result can go straight to
    ``krippendorff_alpha``; index a coder's list for the pairwise coefficients.
    """
    _check_threshold(threshold)
    units = checked_units(units)
    rows = presence_from_covered(covered_by_unit(codings, units, coders, code), units, threshold)
    return {coder: row.tolist() for coder, row in zip(coders, rows, strict=True)}


def nominal_from_covered(
    covered_by_code: Sequence[list], units: Sequence, coders: Sequence, codes: Sequence, threshold
) -> tuple[list, list[OverlapConflict]]:
    """Return, per coder, an array of the winning code's position in ``codes`` (-1: none).

    ``covered_by_code[j]`` is ``covered_by_unit`` for ``codes[j]``. See
    ``nominal_value_by_unit`` for the rule and the conflicts.
    """
    import numpy as np  # noqa: PLC0415 (lazily, as everywhere here)

    from codebook.coverage import reaching  # noqa: PLC0415

    _check_threshold(threshold)
    _, _, lengths = _unit_arrays(checked_units(units))
    rows, conflicts = [], []
    for i, coder in enumerate(coders):
        if not codes:
            rows.append(np.full(len(lengths), -1, dtype=np.int64))
            continue
        covered = np.stack([by_code[i] for by_code in covered_by_code])  # code x unit
        qualifying = np.stack([reaching(row, lengths, threshold) for row in covered])
        # The code covering most wins; argmax takes the first, so earlier codes win ties.
        best = np.where(qualifying, covered, -1).argmax(axis=0)
        rows.append(np.where(qualifying.any(axis=0), best, -1))
        for unit in np.flatnonzero(qualifying.sum(axis=0) > 1).tolist():
            candidates = sorted(
                (-int(covered[j, unit]), j) for j in np.flatnonzero(qualifying[:, unit]).tolist()
            )
            conflicts.append(OverlapConflict(coder, unit, tuple(codes[j] for _, j in candidates)))
    conflicts.sort(key=lambda c: (c.unit, list(coders).index(c.coder)))
    return rows, conflicts


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
    units = checked_units(units)
    codes = list(codes)
    wanted = set(codes)
    codings = [coding for coding in codings if coding[3] in wanted]
    _refuse_bad_offsets(*_offsets(codings), codings)  # the first bad one in the codings' order
    covered = [covered_by_unit(codings, units, coders, code) for code in codes]
    rows, conflicts = nominal_from_covered(covered, units, coders, codes, threshold)
    values = {}
    for coder, row in zip(coders, rows, strict=True):
        values[coder] = [uncoded if j < 0 else codes[j] for j in row.tolist()]
    return NominalValues(values, conflicts)


def _segment_rows(codings: Iterable[tuple]) -> tuple:
    """Return ``(start, end, code)`` rows, their starts and ends; refuse bad offsets."""

    rows = list(codings)
    starts, ends = _offsets(rows, where=0)
    _refuse_bad_offsets(starts, ends, rows, where=0)
    kept = starts < ends  # zero-length codings carry no text
    return (
        [row for row, keep in zip(rows, kept.tolist(), strict=True) if keep],
        starts[kept],
        ends[kept],
    )


def segment_agreement_from_counts(
    agree_a: int, disagree_a: int, agree_b: int, disagree_b: int, categories: int
) -> tuple[float, float | None]:
    """Return (percent agreement, Brennan & Prediger's kappa or None) from the four counts.

    ``categories`` is K, the number of codes in the table (kappa is None when K < 2).
    Raises AgreementUndefined when no segment was judged.
    """
    judged = agree_a + disagree_a + agree_b + disagree_b
    if judged == 0:
        raise AgreementUndefined("neither coder coded anything")
    observed = (agree_a + agree_b) / judged
    k = categories
    return observed, (observed - 1 / k) / (1 - 1 / k) if k >= 2 else None


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
    import numpy as np  # noqa: PLC0415 (lazily, as everywhere here)

    from codebook.coverage import as_array, matched, merged_by_key  # noqa: PLC0415

    _check_threshold(threshold)
    rows_a, starts_a, ends_a = _segment_rows(codings_a)
    rows_b, starts_b, ends_b = _segment_rows(codings_b)
    code_list = sorted({row[2] for row in rows_a} | {row[2] for row in rows_b}, key=repr)
    index = {code: i for i, code in enumerate(code_list)}
    # Touching segments stay two segments: each was a separate coding act.
    a = merged_by_key(as_array([index[row[2]] for row in rows_a]), starts_a, ends_a, False)
    b = merged_by_key(as_array([index[row[2]] for row in rows_b]), starts_b, ends_b, False)
    flags_a, flags_b = matched(*a, *b, threshold), matched(*b, *a, threshold)
    size = len(code_list)
    counts = [
        np.bincount(keys, weights=weights, minlength=size).astype(np.int64).tolist()
        for keys, weights in ((a[0], flags_a), (a[0], None), (b[0], flags_b), (b[0], None))
    ]
    by_code = {
        code: (counts[0][i], counts[1][i] - counts[0][i], counts[2][i], counts[3][i] - counts[2][i])
        for i, code in enumerate(code_list)
    }
    agree_a, disagree_a, agree_b, disagree_b = (
        sum(t[i] for t in by_code.values()) for i in range(4)
    )
    k = len(set(codes)) if codes is not None else len(code_list)
    observed, kappa = segment_agreement_from_counts(agree_a, disagree_a, agree_b, disagree_b, k)
    unmatched = []
    for (keys, starts, ends), flags in ((a, flags_a), (b, flags_b)):
        left = ~flags
        found = zip(keys[left].tolist(), starts[left].tolist(), ends[left].tolist(), strict=True)
        # Built code by code, then sorted by position: ties keep the codes' order.
        unmatched.append(sorted(((s, e, code_list[c]) for c, s, e in found), key=itemgetter(0, 1)))
    return SegmentAgreement(
        agree_a, disagree_a, agree_b, disagree_b, observed, kappa, by_code, *unmatched
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
