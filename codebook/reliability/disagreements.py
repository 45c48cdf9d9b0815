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

from codebook.units import code_presence_by_unit, disagreeing_passages, disagreeing_units


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
    """Return the units whose presence of ``code`` differs between coders."""
    presence = code_presence_by_unit(codings, units, coders, code, threshold)
    found = []
    for index in disagreeing_units(presence):
        who = frozenset(coder for coder in coders if presence[coder][index])
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
