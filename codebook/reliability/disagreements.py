"""Find where coders disagree on a code, as spans a supervisor can settle (no ORM).

At sentence and turn level a disagreement is a unit that some coders coded
with the code and others did not. On the continuum (character and segment
level) it is a stretch of text that some coder coded with the code, bounded by
uncoded text, inside which the coders' codings differ: small boundary
differences and a missed passage both show up, each as one span.
"""

import bisect
from collections.abc import Hashable, Sequence
from typing import NamedTuple

from codebook.units import covered_by_unit, disagreeing_passages, presence_from_covered


class Disagreement(NamedTuple):
    code: Hashable
    start: int
    end: int
    coded_by: frozenset  # coders who applied the code somewhere in the span


def _merged(intervals: list[tuple]) -> list[tuple]:
    merged: list[list] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def find_unit_disagreements(
    codings: Sequence[tuple], units: Sequence[tuple], coders: Sequence, code, threshold: float
) -> list[Disagreement]:
    """Return the units whose presence of ``code`` differs between coders.

    Compared as arrays: a study has tens of thousands of sentences and a codebook
    a hundred codes or more, too many to compare unit by unit in Python.
    """
    import numpy as np  # noqa: PLC0415 (lazily, as everywhere here)

    covered = covered_by_unit(codings, units, coders, code)
    presence = np.stack(presence_from_covered(covered, units, threshold))
    differing = np.flatnonzero(presence.any(axis=0) & ~presence.all(axis=0))
    found = []
    for index, coded in zip(differing.tolist(), presence[:, differing].T.tolist(), strict=True):
        who = frozenset(coder for coder, flag in zip(coders, coded, strict=True) if flag)
        found.append(Disagreement(code, units[index][0], units[index][1], who))
    return found


def find_continuum_disagreements(
    codings: Sequence[tuple], coders: Sequence, code
) -> list[Disagreement]:
    """Return each stretch coded by someone where the coders' codings of ``code`` differ."""
    wanted = set(coders)
    spans = [(s, e) for coder, s, e, c in codings if c == code and coder in wanted and s < e]
    regions = _merged(spans)
    starts = [start for start, _ in regions]
    touched: dict[int, set] = {}
    for passage in disagreeing_passages(codings, coders, code):
        index = bisect.bisect_right(starts, passage.start) - 1
        touched.setdefault(index, set())
    coded_by: dict[int, set] = {index: set() for index in touched}
    for coder, s, e, c in codings:
        if c == code and coder in wanted and s < e:
            index = bisect.bisect_right(starts, s) - 1
            if index in coded_by:
                coded_by[index].add(coder)
    return [
        Disagreement(code, regions[i][0], regions[i][1], frozenset(coded_by[i]))
        for i in sorted(touched)
    ]
