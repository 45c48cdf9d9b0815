"""Krippendorff's alpha family for unitized continua (u, |u, cu), swept with numpy.

``unitizing_alpha`` in ``codebook.agreement`` is the public entry; this module
holds the arithmetic, on every coder's segments prepared once as arrays:
``CodedContinuum(segments, length).alpha(variant, codes)`` reads any subset of
codes (one code, one group, all codes) without converting or validating the
segments again, which is what the agreement table needs for its 35 alphas.

Each alpha is a sum over the elementary stretches between all segment
boundaries, found with a sort and a binary search per coder instead of a Python
loop over boundary events. Every quantity up to the final divisions is an
integer (lengths, counts of coders, their products), so the result is the same
float, bit for bit, as a loop over the stretches in any order would give.
Imported only when an alpha is computed: loading numpy takes a noticeable time.
"""

import hashlib
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence

import numpy as np

from codebook.agreement import AgreementUndefined

GAP = -1  # the value of uncoded text in a coder's row of values


class CodedContinuum:
    """Every coder's ``(start, end, code)`` segments on ``[0, length)``, as sorted arrays."""

    def __init__(self, segments: Mapping[Hashable, Iterable[tuple]], length: int):
        self.length = length
        self.coders = list(segments)
        self.original: list[tuple] = []  # (coder, start, end, code) in input order, for messages
        for coder, segs in segments.items():
            self.original += [(coder, start, end, code) for start, end, code in segs]
        self._arrange()

    @classmethod
    def from_codings(
        cls, codings: Sequence[tuple], coders: Sequence[Hashable], length: int
    ) -> "CodedContinuum":
        """Prepare ``(coder, start, end, code)`` codings; codings of other coders are left out."""
        continuum = cls.__new__(cls)
        continuum.length = length
        continuum.coders = list(coders)
        wanted = set(coders)
        continuum.original = [coding for coding in codings if coding[0] in wanted]
        continuum._arrange()
        return continuum

    def _arrange(self) -> None:
        coder_index = {coder: i for i, coder in enumerate(self.coders)}
        self.codes = list(dict.fromkeys(coding[3] for coding in self.original))
        code_index = {code: i for i, code in enumerate(self.codes)}
        self._fingerprint = None
        self._sweeps: dict = {}
        coder = np.array([coder_index[c[0]] for c in self.original], dtype=np.int64)
        start = np.array([c[1] for c in self.original], dtype=np.int64)
        end = np.array([c[2] for c in self.original], dtype=np.int64)
        code = np.array([code_index[c[3]] for c in self.original], dtype=np.int64)
        self._columns = (coder, start, end, code)
        # Kept in input order to name the first bad segment as a loop over the input would.
        self.invalid = (start < 0) | (end < start) | (end > self.length)
        self.invalid_coder, self.invalid_code = coder[self.invalid], code[self.invalid]
        self.invalid_position = np.flatnonzero(self.invalid)
        # Coders in their order, then by start and end; ties keep the input order.
        order = np.lexsort((np.arange(len(start)), end, start, coder))
        kept = order[(start[order] < end[order]) & ~self.invalid[order]]  # empty ones carry no text
        self.coder, self.start, self.end, self.code = (
            coder[kept],
            start[kept],
            end[kept],
            code[kept],
        )

    def fingerprint(self) -> str:
        """Return a digest of the length, the coders and every segment, whatever their order."""
        if self._fingerprint is None:
            coders = sorted(range(len(self.coders)), key=lambda i: repr(self.coders[i]))
            codes = sorted(range(len(self.codes)), key=lambda i: repr(self.codes[i]))
            coder_rank = np.argsort(coders)  # rank by repr, so input order does not matter
            code_rank = np.argsort(codes)
            coder, start, end, code = self._columns
            columns = (coder_rank[coder], start, end, code_rank[code])
            order = np.lexsort(columns[::-1])
            digest = hashlib.sha256(
                repr(
                    (self.length, [self.coders[i] for i in coders], [self.codes[i] for i in codes])
                ).encode()
            )
            digest.update(
                np.stack([column[order] for column in columns]).astype(np.int64).tobytes()
            )
            self._fingerprint = digest.hexdigest()
        return self._fingerprint

    def alpha(self, variant: str = "u", codes: Collection | None = None) -> float:
        """Return u-alpha ("u"), |u-alpha ("binary") or cu-alpha ("cu") for ``codes`` (None: all).

        The same checks, messages and results as ``unitizing_alpha`` on the
        segments of those codes.
        """
        if variant not in ("u", "binary", "cu"):
            raise ValueError(f"variant must be one of ('u', 'binary', 'cu'), not {variant!r}")
        if self.length <= 0:
            raise ValueError("length must be positive")
        if len(self.coders) < 2:
            raise ValueError("unitizing alpha needs at least two coders")
        self._refuse_invalid(codes)
        merged, (rows, segment_of, widths) = self._swept(codes, exclusive=variant != "binary")
        if variant == "cu":
            return _cu_alpha(rows, segment_of, widths)
        return _u_alpha(rows, widths, merged, len(self.coders) * self.length)

    def _swept(self, codes: Collection | None, exclusive: bool) -> tuple:
        """Merge and sweep the segments of ``codes`` once for u- and cu-alpha alike."""
        wanted = self._wanted(codes)
        key = (None if wanted is None else tuple(wanted), exclusive)
        if key not in self._sweeps:
            chosen = self._chosen(codes)
            # |u-alpha (not exclusive) tells only coded from not coded: one value, "relevant".
            code = self.code[chosen] if exclusive else np.zeros(int(chosen.sum()), dtype=np.int64)
            try:
                merged = self._merged(
                    self.coder[chosen], self.start[chosen], self.end[chosen], code, exclusive
                )
                self._sweeps[key] = (merged, self._sweep(*merged))
            except ValueError as error:  # overlapping codes: refused for u and cu alike
                self._sweeps[key] = error
        found = self._sweeps[key]
        if isinstance(found, ValueError):
            raise ValueError(str(found))
        return found

    def segments_of(self, codes: Collection | None) -> list[tuple]:
        """Return, per coder, the starts and ends of the segments of ``codes``, as given."""
        coder, start, end, code = self._columns
        wanted = self._wanted(codes)
        chosen = np.ones(len(code), dtype=bool) if wanted is None else np.isin(code, wanted)
        return [
            (start[chosen & (coder == i)], end[chosen & (coder == i)])
            for i in range(len(self.coders))
        ]

    def _wanted(self, codes: Collection | None) -> list[int] | None:
        if codes is None:
            return None
        wanted = set(codes)
        return [i for i, code in enumerate(self.codes) if code in wanted]

    def _chosen(self, codes: Collection | None) -> np.ndarray:
        wanted = self._wanted(codes)
        return np.ones(len(self.code), dtype=bool) if wanted is None else np.isin(self.code, wanted)

    def _refuse_invalid(self, codes: Collection | None) -> None:
        wanted = self._wanted(codes)
        bad = np.ones(len(self.invalid_code), dtype=bool)
        if wanted is not None:
            bad = np.isin(self.invalid_code, wanted)
        if not bad.any():
            return
        # The first bad segment of the first coder, as a loop over the input finds it.
        first = np.lexsort((self.invalid_position[bad], self.invalid_coder[bad]))[0]
        coder, start, end, code = self.original[int(self.invalid_position[bad][first])]
        raise ValueError(
            f"coder {coder!r}: segment ({start}, {end}, {code!r}) lies outside "
            f"0..{self.length} or ends before it starts"
        )

    def _merged(self, coder, start, end, code, exclusive: bool) -> tuple:
        """Merge overlapping segments of one coder (and code); touching ones stay separate units.

        Coders are laid on separate stretches of one line, so one running maximum
        of ends serves them all.
        """
        shift = coder * (self.length + 1)
        start, end = start + shift, end + shift
        reach = np.maximum.accumulate(end) if len(end) else end
        before = np.concatenate([[-1], reach[:-1]])
        first = start >= before  # begins a new unit
        group = np.cumsum(first) - 1
        firsts = np.flatnonzero(first)
        if exclusive:
            clash = ~first & (code != code[firsts][group])
            if clash.any():
                i = int(np.flatnonzero(clash)[0])
                raise ValueError(
                    f"coder {self.coders[int(coder[i])]!r} applies "
                    f"{self.codes[int(code[firsts[group[i]]])]!r} and {self.codes[int(code[i])]!r} "
                    f"to overlapping text at {int(start[i] - shift[i])}.."
                    f"{int(min(end[i], before[i]) - shift[i])}; codes compared together must "
                    "be mutually exclusive (one semantic domain)"
                )
        merged_end = np.maximum.reduceat(end, firsts) if len(firsts) else end[:0]
        return (
            coder[firsts],
            start[firsts] - shift[firsts],
            merged_end - shift[firsts],
            code[firsts],
        )

    def _sweep(self, coder, start, end, code) -> tuple:
        """Return each coder's value and unit index per elementary stretch, and the widths."""
        bounds = np.sort(np.concatenate([[0, self.length], start, end]))
        bounds = bounds[np.concatenate([[True], bounds[1:] != bounds[:-1]])]
        left, widths = bounds[:-1], np.diff(bounds)
        rows, segment_of = [], []
        for i in range(len(self.coders)):
            mine = coder == i
            starts, ends, values = start[mine], end[mine], code[mine]
            if not len(starts):
                rows.append(np.full(len(left), GAP))
                segment_of.append(np.full(len(left), -1))
                continue
            k = np.searchsorted(starts, left, side="right") - 1
            inside = k >= 0
            inside[inside] = left[inside] < ends[k[inside]]
            rows.append(np.where(inside, values[np.maximum(k, 0)], GAP))
            segment_of.append(np.where(inside, k, -1))
        return rows, segment_of, widths


def _same(rows: list, only_valued: bool = False) -> np.ndarray:
    """Count, per stretch, the pairs of coders (i < j) with the same value."""
    same = np.zeros(len(rows[0]), dtype=np.int64)
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            equal = rows[i] == rows[j]
            if only_valued:
                equal &= rows[i] != GAP
            same += equal
    return same


def _margins(rows: list, weights: list) -> dict[int, int]:
    """Sum the weights per value (GAP included) over every coder's row, as Python integers."""
    values = np.concatenate(rows) - GAP  # from 0
    # Integer weights below 2**53 add up exactly in float64.
    sums = np.bincount(values, weights=np.concatenate(weights)).astype(np.int64)
    return {value + GAP: total for value, total in enumerate(sums.tolist()) if total}


def _u_alpha(rows: list, widths: np.ndarray, merged: tuple, total: int) -> float:
    m = len(rows)
    # Per stretch, the sum over values of (coders with it)² = m + 2 (pairs of coders alike).
    squares = m + 2 * _same(rows)
    observed = float(int((widths * (m * m - squares)).sum()))
    observed /= m - 1
    margins = _margins(rows, [widths] * m)
    # Valued segments are indivisible (weight len²); gaps re-divide freely (len).
    _, start, end, _ = merged
    self_pairs = int(((end - start) ** 2).sum()) + margins.get(GAP, 0)
    expected = (total * total - sum(x * x for x in margins.values())) / (total - self_pairs / total)
    if expected == 0:
        raise AgreementUndefined("no variation on the continuum: expected disagreement is 0")
    return 1 - observed / expected


def _cu_alpha(rows: list, segment_of: list, widths: np.ndarray) -> float:
    coded = [row != GAP for row in rows]
    valued = sum(c.astype(np.int64) for c in coded)
    # Stretches coded by fewer than two coders add 0 to each of these sums.
    squares = valued + 2 * _same(rows, only_valued=True)
    observed = int((widths * (valued * valued - squares)).sum())
    weight = widths * (valued - 1)
    total = int((weight * valued).sum())
    if total == 0:
        raise AgreementUndefined("no stretch of text was coded by two coders")
    margins = _margins(
        [row[c] for row, c in zip(rows, coded, strict=True)], [weight[c] for c in coded]
    )
    # Each segment pairs with itself only through its share of the restricted
    # margins; with this weight the book's cu-alpha (.724, Fig. 12.11) comes out.
    # (All terms here are scaled by m - 1 alike, which cancels in the ratio.)
    self_pairs = 0
    for segment, c in zip(segment_of, coded, strict=True):
        shared = np.bincount(segment[c], weights=weight[c]).astype(np.int64)
        self_pairs += int((shared * shared).sum())
    expected = (total * total - sum(x * x for x in margins.values())) / (total - self_pairs / total)
    if expected <= 0:
        raise AgreementUndefined("one code only where coders overlap: no expected disagreement")
    return 1 - observed / expected
