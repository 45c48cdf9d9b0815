"""The resamples of Krippendorff's alpha behind ``bootstrap_alpha_interval``, drawn with numpy.

A resample draws as many units as the data have, with replacement. Units that
hold the same values are interchangeable, so a resample is a multinomial draw of
counts over the distinct kinds of unit, and its coincidence matrix is those
counts times each kind's coincidences. All resamples are drawn at once and their
alphas computed as array arithmetic, instead of a Python loop per resample.

Deterministic for a seed and a numpy version: the kinds of unit and the values
are put in an order that depends neither on the data's order nor on hash
randomisation; coincidences are summed as integers before the one division by
``m_u - 1``, and no sum goes through BLAS, whose order of additions may vary.
Imported only when an interval is drawn: loading numpy takes a noticeable time.
"""

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

# Ordinal distances are one matrix per resample: work through the resamples in
# chunks of about this many matrix cells, so many distinct values cannot exhaust memory.
CHUNK_CELLS = 2_000_000


def resampled_alphas(kinds: Mapping, level: str, samples: int, seed: int) -> list[float] | None:
    """Return alpha for each resample with variation (in draw order); None without data.

    ``kinds`` maps each distinct pairable unit, a frozenset of ``(value, number of
    coders giving it)``, to the number of units holding exactly that.
    """
    ordered = sorted(kinds.items(), key=lambda item: repr(sorted(item[0], key=repr)))
    counts = np.array([count for _, count in ordered], dtype=np.int64)
    total = int(counts.sum()) if len(counts) else 0
    if total == 0:
        return None
    draws = np.random.default_rng(seed).multinomial(total, counts / total, size=samples)
    alphas = alphas_of_resamples([present for present, _ in ordered], draws, level)
    return [alpha for alpha in alphas if alpha is not None]


def alphas_of_resamples(kinds: Sequence[frozenset], draws, level: str) -> list[float | None]:
    """Return alpha for each row of ``draws`` (units of each kind), None where it is undefined.

    ``kinds`` are frozensets of ``(value, number of coders giving it)``; ``draws``
    is an integer array, one column per kind, one row per resample.
    """
    values = sorted({value for present in kinds for value, _ in present}, key=_order(level))
    prepared = _Kinds(kinds, values)
    draws = np.asarray(draws, dtype=np.int64)
    chunk = max(1, CHUNK_CELLS // max(1, len(values) ** 2))
    alphas: list[float | None] = []
    for start in range(0, len(draws), chunk):
        alphas += prepared.alphas(draws[start : start + chunk], level)
    return alphas


def _order(level: str):
    # Ordinal ranks follow the values' own order; the other levels need any fixed order.
    return repr if level == "nominal" else None


class _Group(NamedTuple):
    """The kinds of unit with one number of pairable values, as integer arrays."""

    divisor: int  # m_u - 1
    kinds: np.ndarray  # which columns of the draws
    pairs: np.ndarray  # kind x value x value: ordered pairs of values in one unit
    margins: np.ndarray  # kind x value
    disagreeing: np.ndarray  # kind: pairs of two different values


class _Kinds:
    """The distinct kinds of unit, ready to be multiplied by the resamples' counts."""

    def __init__(self, kinds: Sequence[frozenset], values: list):
        index = {value: i for i, value in enumerate(values)}
        size = len(values)
        self.values = values
        pairs = np.zeros((len(kinds), size, size), dtype=np.int64)
        divisors = np.zeros(len(kinds), dtype=np.int64)
        for row, present in enumerate(kinds):
            divisors[row] = sum(n for _, n in present) - 1
            for c, n_c in present:
                for k, n_k in present:
                    pairs[row, index[c], index[k]] = n_c * (n_k - 1) if c == k else n_c * n_k
        disagreeing = pairs.sum(axis=(1, 2)) - np.trace(pairs, axis1=1, axis2=2)
        self.groups = []
        for divisor in np.unique(divisors):
            kinds = divisors == divisor
            self.groups.append(
                _Group(
                    int(divisor), kinds, pairs[kinds], pairs[kinds].sum(axis=2), disagreeing[kinds]
                )
            )

    def _summed(self, draws: np.ndarray, field: str) -> np.ndarray:
        """Return, per resample, the field summed over its units: integers, then one division."""
        total = 0.0
        for group in self.groups:
            per_kind = getattr(group, field)
            flat = per_kind.reshape(len(per_kind), -1)
            total = total + (draws[:, group.kinds] @ flat) / group.divisor
        return total

    def alphas(self, draws: np.ndarray, level: str) -> list[float | None]:
        margins = self._summed(draws, "margins")
        n = margins.sum(axis=1)
        if level == "nominal":
            observed = self._summed(draws, "disagreeing")[:, 0]
            # Exactly 0 for a resample of one value: every term has a zero factor.
            expected = (margins * (n[:, None] - margins)).sum(axis=1)
        else:
            size = len(self.values)
            coincidences = self._summed(draws, "pairs").reshape(len(draws), size, size)
            delta = np.broadcast_to(_distances(level, self.values, margins), coincidences.shape)
            observed = (coincidences * delta).sum(axis=(1, 2))
            expected = np.einsum("sc,sk,sck->s", margins, margins, delta)
        alphas = 1 - (n - 1) * observed / np.where(expected == 0, 1.0, expected)
        undefined = (expected == 0).tolist()
        return [None if none else a for a, none in zip(alphas.tolist(), undefined, strict=True)]


def _distances(level: str, values: list, margins: np.ndarray) -> np.ndarray:
    """Return the squared distances: one matrix, or one per resample for ordinal data."""
    size = len(values)
    if level in ("interval", "ratio"):
        numbers = np.array(values, dtype=float)
        differences = numbers[:, None] - numbers[None, :]
        if level == "interval":
            return differences**2
        sums = numbers[:, None] + numbers[None, :]
        return np.where(sums == 0, 0.0, (differences / np.where(sums == 0, 1.0, sums)) ** 2)
    # Ordinal: ranks from each resample's own margins (Krippendorff), so one
    # matrix per resample: (margins summed from c to k - (n_c + n_k) / 2) squared.
    cumulative = np.concatenate([np.zeros((len(margins), 1)), np.cumsum(margins, axis=1)], axis=1)
    low, high = np.triu_indices(size, k=1)
    between = cumulative[:, high + 1] - cumulative[:, low]
    distance = (between - (margins[:, low] + margins[:, high]) / 2) ** 2
    delta = np.zeros((len(margins), size, size))
    delta[:, low, high] = distance
    delta[:, high, low] = distance  # a value is no distance from itself: the diagonal stays 0
    return delta
