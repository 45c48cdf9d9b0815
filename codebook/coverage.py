"""How much text codings cover, and which segments match, as array arithmetic (numpy).

The helpers behind ``codebook.units`` and the agreement table: merging one
coder's intervals, the length they cover inside each unit, and MAXQDA's segment
matching. Each works on sorted boundaries with a binary search, never per
character and never in a Python loop over codings. Everything is integer
arithmetic except the ratios compared with a threshold, which numpy divides
exactly as Python divides two integers (both exact below 2**53, one rounding).
Imported only when agreement is computed: loading numpy takes a noticeable time.
"""

from collections import Counter
from collections.abc import Sequence

import numpy as np


def as_array(values) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).reshape(-1)


def merged(starts, ends, touching: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Return the union of intervals, sorted; touching ones join unless ``touching`` is False."""
    starts, ends = as_array(starts), as_array(ends)
    if not len(starts):
        return starts, ends
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    before = np.concatenate([[starts[0] - 1], reach[:-1]])
    first = starts > before if touching else starts >= before
    firsts = np.flatnonzero(first)
    return starts[firsts], np.maximum.reduceat(ends, firsts)


def merged_by_key(keys, starts, ends, touching: bool = True) -> tuple:
    """Merge intervals per key (e.g. per code); return (keys, starts, ends) sorted by key, start.

    Each key gets its own stretch of one line, so one merge serves them all.
    """
    keys, starts, ends = as_array(keys), as_array(starts), as_array(ends)
    span = int(ends.max()) + 1 if len(ends) else 1
    joined_starts, joined_ends = merged(keys * span + starts, keys * span + ends, touching)
    found = joined_starts // span
    return found, joined_starts - found * span, joined_ends - found * span


def covered(starts: np.ndarray, ends: np.ndarray, from_: np.ndarray, to: np.ndarray) -> np.ndarray:
    """Return, per stretch ``[from_, to)``, the length that the intervals cover.

    Both the intervals and the stretches must be sorted and must not overlap
    among themselves (touching is fine). Each interval finds the stretches it
    reaches with two binary searches, so the work follows the intervals, not
    every stretch of the text.
    """
    first = np.searchsorted(to, starts, side="right")  # the first stretch ending after it starts
    last = np.searchsorted(from_, ends, side="left")  # ... up to the first starting at its end
    reached = np.maximum(last - first, 0)
    which = np.repeat(np.arange(len(starts)), reached)
    stretch = (
        first[which] + np.arange(len(which)) - np.repeat(np.cumsum(reached) - reached, reached)
    )
    overlap = np.minimum(ends[which], to[stretch]) - np.maximum(starts[which], from_[stretch])
    # Integer lengths below 2**53 add up exactly in float64.
    return np.bincount(stretch, weights=overlap, minlength=len(from_)).astype(np.int64)


def reaching(covered_lengths: np.ndarray, lengths: np.ndarray, threshold: float) -> np.ndarray:
    """Tell which units are covered by at least ``threshold`` of their length."""
    # Dividing (not multiplying the threshold) keeps "exactly met" exact: 3/10 == 0.3.
    return (covered_lengths > 0) & (covered_lengths / lengths >= threshold)


def matched(keys_a, starts_a, ends_a, keys_b, starts_b, ends_b, threshold: float) -> np.ndarray:
    """Flag each segment of A that a segment of B with its key overlaps by >= threshold.

    The overlap counts against the text the two segments span together
    (intersection / union). B's segments must be sorted by key and start and,
    within a key, must not overlap (as ``merged_by_key`` returns them).
    """
    span = int(max(ends_a.max(initial=0), ends_b.max(initial=0))) + 1
    a_from, a_to = keys_a * span + starts_a, keys_a * span + ends_a
    b_from, b_to = keys_b * span + starts_b, keys_b * span + ends_b
    first = np.searchsorted(b_to, a_from, side="right")  # the first of B ending after A starts
    last = np.searchsorted(b_from, a_to, side="left")  # ... up to the first starting at A's end
    candidates = np.maximum(last - first, 0)
    which_a = np.repeat(np.arange(len(a_from)), candidates)
    offsets = np.arange(len(which_a)) - np.repeat(np.cumsum(candidates) - candidates, candidates)
    which_b = first[which_a] + offsets
    shared = np.minimum(a_to[which_a], b_to[which_b]) - np.maximum(a_from[which_a], b_from[which_b])
    spanned = np.maximum(a_to[which_a], b_to[which_b]) - np.minimum(
        a_from[which_a], b_from[which_b]
    )
    good = which_a[shared / spanned >= threshold]
    flags = np.zeros(len(a_from), dtype=bool)
    flags[good] = True
    return flags


def unit_patterns(rows: Sequence[np.ndarray], values: Sequence) -> tuple[Counter, list[int]]:
    """Count the units' patterns of values; ``rows[coder]`` holds indexes into ``values``.

    Return ``Counter({(value of each coder): units})`` in the order the patterns
    first occur, as ``Counter(zip(*rows))`` gives it, and per unit its pattern's
    position in that order.
    """
    base, coders = len(values), len(rows)
    if base**coders < 2**62:
        keys = np.zeros(len(rows[0]), dtype=np.int64)
        for row in reversed(rows):  # the first coder's value is the lowest digit
            keys = keys * base + row

        def decode(key: int) -> tuple:
            return tuple(values[(key // base**i) % base] for i in range(coders))
    else:  # too many values and coders for one integer per pattern
        table, keys = np.unique(np.stack(rows, axis=1), axis=0, return_inverse=True)

        def decode(key: int) -> tuple:
            return tuple(values[int(v)] for v in table[key])

    return _counted(keys.reshape(-1), decode)


def _counted(keys: np.ndarray, decode) -> tuple[Counter, list[int]]:
    units = len(keys)
    size = int(keys.max()) + 1 if units else 0
    if size <= 4 * units + 1024:
        # Few possible patterns (2 ** coders for one code's presence): one counting pass.
        counts = np.bincount(keys, minlength=size)
        first = np.full(size, units, dtype=np.int64)
        np.minimum.at(first, keys, np.arange(units))
        found = np.flatnonzero(counts)
        found = found[np.argsort(first[found])]  # in order of first occurrence
        position = np.full(size, -1, dtype=np.int64)
        position[found] = np.arange(len(found))
        per_unit, found_counts = position[keys], counts[found]
    else:
        distinct, first, inverse, counts = np.unique(
            keys, return_index=True, return_inverse=True, return_counts=True
        )
        order = np.argsort(first)
        found, found_counts = distinct[order], counts[order]
        position = np.empty(len(distinct), dtype=np.int64)
        position[order] = np.arange(len(distinct))
        per_unit = position[inverse.reshape(-1)]
    patterns = Counter(
        {
            decode(key): count
            for key, count in zip(found.tolist(), found_counts.tolist(), strict=True)
        }
    )
    return patterns, per_unit.tolist()
