"""Build the agreement table from plain codings and units (no ORM).

Everything here works on one *continuum*: the caller lays the chosen interviews
end to end (each offset shifted by the lengths before it), so one call covers a
whole study. Codings are ``(coder, start, end, code)``; units are sorted,
non-overlapping ``(start, end)``. Coders and codes are any hashable keys.

A coefficient without a value is a ``Figure`` with ``value=None`` and the
reason, never NaN.
"""

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import NamedTuple

from codebook.agreement import (
    AgreementUndefined,
    ac1_from_pairs,
    alpha_from_patterns,
    bootstrap_from_patterns,
    brennan_prediger_from_pairs,
    character_kappa_from_lengths,
    cohen_from_pairs,
    fleiss_from_rows,
    percent_from_pairs,
)
from codebook.units import (
    checked_units,
    covered_by_unit,
    nominal_from_covered,
    presence_from_covered,
    segment_agreement_from_counts,
    segment_overlap_agreement,
)

UNIT_KINDS = ("sentence", "turn", "character", "segment")
NOT_CODED = "(not coded)"
BOOTSTRAP_SAMPLES = 1000
DEFAULT_THRESHOLDS = {"sentence": 0.5, "turn": 0.5, "character": 0.5, "segment": 0.9}

ONLY_UNITS = "needs predefined units (sentences or turns)"
OVERLAP = (
    "a coder applied two codes of this group to overlapping text; u-alpha and cu-alpha need "
    "the codes of a group to exclude each other"
)


@dataclass(frozen=True)
class Figure:
    """One coefficient: a value, or None with the reason it has none."""

    value: float | None
    reason: str = ""
    note: str = ""  # e.g. "mean of 3 pairs"

    @property
    def defined(self) -> bool:
        return self.value is not None


@dataclass
class Row:
    label: str
    kind: str  # "code", "group" or "all"
    codes: tuple  # the code keys the row covers
    units: int | None = None
    prevalence: Figure = Figure(None, "not computed")
    percent: Figure = Figure(None, "not computed")
    kappa: Figure = Figure(None, "not computed")
    alpha: Figure = Figure(None, "not computed")
    interval: tuple[float, float] | None = None
    interval_reason: str = ""
    brennan_prediger: Figure = Figure(None, "not computed")
    ac1: Figure = Figure(None, "not computed")
    u_alpha: Figure = Figure(None, "not computed")
    binary_alpha: Figure = Figure(None, "not computed")
    cu_alpha: Figure = Figure(None, "not computed")
    conflicts: list = field(default_factory=list)

    def coefficients(self) -> dict[str, Figure]:
        return {
            "prevalence": self.prevalence,
            "percent_agreement": self.percent,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "brennan_prediger": self.brennan_prediger,
            "ac1": self.ac1,
            "u_alpha": self.u_alpha,
            "binary_alpha": self.binary_alpha,
            "cu_alpha": self.cu_alpha,
        }


@dataclass(frozen=True)
class Group:
    """Codes that are mutually exclusive (one subtree); ``label`` names the group."""

    label: str
    codes: tuple


def figure(compute: Callable[[], float]) -> Figure:
    """Run ``compute``; turn an undefined coefficient into a Figure with its reason."""
    try:
        return Figure(compute())
    except AgreementUndefined as error:
        return Figure(None, str(error))
    except ValueError as error:
        if "overlapping" in str(error):
            # unitizing_alpha names ids and continuum offsets; say it in the reader's words.
            return Figure(None, OVERLAP)
        return Figure(None, str(error))


def pairwise_mean(rows: Sequence[Sequence], coefficient: Callable) -> Figure:
    """Average a two-coder coefficient over every pair of coders; undefined pairs are left out."""
    values, reasons = [], []
    pairs = list(combinations(rows, 2))
    for a, b in pairs:
        result = figure(lambda a=a, b=b: coefficient(a, b))
        if result.defined:
            values.append(result.value)
        else:
            reasons.append(result.reason)
    if not values:
        return Figure(None, reasons[0] if reasons else "fewer than two coders")
    note = f"mean of {len(values)} of {len(pairs)} pairs" if len(pairs) > 1 else ""
    return Figure(sum(values) / len(values), note=note)


def _pair_tables(patterns: Counter, count: int) -> list:
    """Return each coder pair's contingency table ``(pairs, n)``, or the reason it has none.

    Derived from the units' joint patterns of values (each counted once), so every
    pairwise coefficient reads one table instead of recounting the units.
    """
    tables = []
    for i, j in combinations(range(count), 2):
        pairs: Counter = Counter()
        for pattern, units in patterns.items():
            if pattern[i] is not None and pattern[j] is not None:
                pairs[pattern[i], pattern[j]] += units
        n = sum(pairs.values())
        tables.append((pairs, n) if n else "no unit was rated by both coders")
    return tables


def _pairwise_from_tables(tables: list, coefficient: Callable) -> Figure:
    """Like ``pairwise_mean``, from the tables of ``_pair_tables``."""
    values, reasons = [], []
    for table in tables:
        result = (
            Figure(None, table)
            if isinstance(table, str)
            else figure(lambda t=table: coefficient(*t))
        )
        if result.defined:
            values.append(result.value)
        else:
            reasons.append(result.reason)
    if not values:
        return Figure(None, reasons[0] if reasons else "fewer than two coders")
    note = f"mean of {len(values)} of {len(tables)} pairs" if len(tables) > 1 else ""
    return Figure(sum(values) / len(values), note=note)


class CountedUnits(NamedTuple):
    """The values of the units, as counts of their patterns (see ``unit_patterns``)."""

    units: int
    patterns: Counter  # (value of each coder) -> units, in order of first occurrence
    positions: list[int]  # per unit, its pattern's position in ``patterns``


def _unit_figures(
    row: Row, counted: CountedUnits, coders: Sequence, categories: set, absent, interval=None
) -> None:
    """Fill the predefined-unit coefficients of ``row`` from the counted patterns of values."""
    patterns = counted.patterns
    cells = counted.units * len(coders)
    row.units = counted.units
    # As list.count does: identity or equality with ``absent``.
    uncoded = sum(
        units * sum(1 for value in pattern if value is absent or value == absent)
        for pattern, units in patterns.items()
    )
    row.prevalence = Figure((cells - uncoded) / cells) if cells else Figure(None, "no units")
    # Every table and coefficient derives from the patterns, each counted once.
    tables = _pair_tables(patterns, len(coders))
    row.percent = _pairwise_from_tables(tables, percent_from_pairs)
    if len(coders) == 2:
        row.kappa = (
            Figure(None, tables[0])
            if isinstance(tables[0], str)
            else figure(lambda: cohen_from_pairs(*tables[0]))
        )
    else:
        ordered = sorted(categories, key=repr)
        per_pattern = [tuple(pattern.count(c) for c in ordered) for pattern in patterns]
        counts = list(patterns.values())
        row.kappa = figure(lambda: fleiss_from_rows(per_pattern, counts, counted.positions))
    row.alpha = figure(lambda: alpha_from_patterns(patterns))
    if row.alpha.defined:
        try:
            row.interval = (interval or bootstrap_from_patterns)(
                patterns, samples=BOOTSTRAP_SAMPLES
            )
        except AgreementUndefined as error:
            row.interval_reason = str(error)
    else:
        row.interval_reason = row.alpha.reason
    row.brennan_prediger = _pairwise_from_tables(
        tables, lambda pairs, n: brennan_prediger_from_pairs(pairs, n, categories=categories)
    )
    row.ac1 = _pairwise_from_tables(tables, ac1_from_pairs)


def _continuum_figures(row: Row, codes: tuple, length: int, alpha: Callable) -> None:
    """Fill the unitizing alphas: |u for the row's codes together, u and cu within a group."""
    if length <= 0:
        row.binary_alpha = row.u_alpha = row.cu_alpha = Figure(None, "no text")
        return
    row.binary_alpha = figure(lambda: alpha(codes, "binary"))
    if len(codes) == 1:
        reason = "one code: u-alpha equals |u-alpha and cu-alpha needs two codes"
        row.u_alpha = Figure(None, reason)
        row.cu_alpha = Figure(None, reason)
        return
    row.u_alpha = figure(lambda: alpha(codes, "u"))
    row.cu_alpha = figure(lambda: alpha(codes, "cu"))


def _union_length(intervals: list[tuple]) -> list[tuple]:
    merged: list[list] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def character_agreement(a: list[tuple], b: list[tuple], length: int) -> float:
    """Return the share of characters both coders treated alike (coded or not)."""
    a, b = _union_length(a), _union_length(b)
    both, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        both += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return _agreement_from_lengths(sum(e - s for s, e in a), sum(e - s for s, e in b), both, length)


def _agreement_from_lengths(coded_a: int, coded_b: int, both: int, length: int) -> float:
    """Return ``character_agreement`` from the characters each coder coded and both coded."""
    return (length - coded_a - coded_b + 2 * both) / length


class _Coded(NamedTuple):
    """One coder's codings of a row's codes, merged (touching ones too), as arrays."""

    starts: object
    ends: object
    length: int  # characters coded

    def shared_with(self, other: "_Coded") -> int:
        from codebook.coverage import covered  # noqa: PLC0415 (numpy, lazily)

        return int(covered(self.starts, self.ends, other.starts, other.ends).sum())

    def refuse_outside(self, length: int) -> None:
        """Raise ValueError as ``character_kappa`` does for a stretch outside the text."""
        bad = (self.starts < 0) | (self.ends > length) | (self.starts > self.ends)
        if bad.any():
            i = int(bad.argmax())
            raise ValueError(
                f"segment ({int(self.starts[i])}, {int(self.ends[i])}) lies outside "
                f"0..{length} or is reversed"
            )


def _character_kappa(a: _Coded, b: _Coded, length: int) -> float:
    a.refuse_outside(length)
    b.refuse_outside(length)
    return character_kappa_from_lengths(a.length, b.length, a.shared_with(b), length)


def _character_figures(row: Row, coded: list[_Coded], length: int) -> None:
    row.units = length
    if length <= 0:
        row.prevalence = Figure(None, "no text")
        return
    row.prevalence = Figure(sum(one.length for one in coded) / (length * len(coded)))
    row.percent = pairwise_mean(
        coded, lambda a, b: _agreement_from_lengths(a.length, b.length, a.shared_with(b), length)
    )
    row.kappa = pairwise_mean(coded, lambda a, b: _character_kappa(a, b, length))
    row.alpha = row.binary_alpha
    row.interval_reason = "the bootstrap resamples predefined units; the continuum has none"
    row.brennan_prediger = row.ac1 = Figure(None, ONLY_UNITS)


def _segment_figures(row: Row, by_pair: list[dict], codes: tuple, categories: int) -> None:
    """Fill the segment-overlap figures from each coder pair's counts per code."""
    results = []
    for by_code in by_pair:
        counts = [sum(by_code.get(code, (0, 0, 0, 0))[i] for code in codes) for i in range(4)]
        try:
            results.append((sum(counts), *segment_agreement_from_counts(*counts, categories)))
        except AgreementUndefined:
            continue
    row.units = sum(judged for judged, _, _ in results)
    if not results:
        row.percent = row.kappa = Figure(None, "neither coder coded anything")
    else:
        pairs = len(by_pair)
        note = f"mean of {len(results)} of {pairs} pairs" if pairs > 1 else ""
        row.percent = Figure(sum(percent for _, percent, _ in results) / len(results), note=note)
        kappas = [kappa for _, _, kappa in results if kappa is not None]
        row.kappa = (
            Figure(sum(kappas) / len(kappas), note=note)
            if kappas
            else Figure(None, "fewer than two codes: chance agreement is 1")
        )
    for name in ("prevalence", "alpha", "brennan_prediger", "ac1"):
        setattr(row, name, Figure(None, ONLY_UNITS))
    row.interval_reason = ONLY_UNITS


def build_rows(
    codings: Sequence[tuple],
    units: Sequence[tuple] | None,
    length: int,
    coders: Sequence[Hashable],
    groups: Sequence[Group],
    labels: dict,
    unit: str,
    threshold: float,
    interval: Callable | None = None,
    unitizing: Callable | None = None,
    *,
    overall_only: bool = False,
) -> list[Row]:
    """Return one row per code, one per group of two or more codes, and one for all
    (``overall_only``: the one for all alone).

    ``units`` is required for "sentence" and "turn" and ignored otherwise;
    ``labels`` maps each code to its name for the table. ``interval`` replaces
    ``bootstrap_from_patterns`` (same arguments), and ``unitizing(continuum, codes,
    variant)`` replaces ``continuum.alpha(variant, codes)`` on the prepared
    ``CodedContinuum``, e.g. to memoise them.
    """
    if unit not in UNIT_KINDS:
        raise ValueError(f"unit must be one of {UNIT_KINDS}, not {unit!r}")
    if len(coders) < 2:
        raise ValueError("agreement needs two or more coders")
    all_codes = tuple(code for group in groups for code in group.codes)
    table = _Table(
        codings,
        units,
        length,
        list(coders),
        all_codes,
        unit,
        threshold,
        interval or bootstrap_from_patterns,
        unitizing,
    )
    rows: list[Row] = []
    for group in [] if overall_only else groups:
        for code in group.codes:
            rows.append(table.fill(Row(labels[code], "code", (code,))))
        if len(group.codes) > 1:
            rows.append(table.fill(Row(group.label, "group", group.codes)))
    rows.append(table.fill(Row("All codes", "all", all_codes)))
    return rows


@dataclass
class _Table:
    """One table's codings, prepared once (as arrays) for all of its rows."""

    codings: Sequence[tuple]
    units: Sequence[tuple] | None
    length: int
    coders: list
    all_codes: tuple
    unit: str
    threshold: float
    interval: Callable
    unitizing: Callable | None
    by_code: dict = field(default_factory=dict)
    memo: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.units is not None and self.unit in ("sentence", "turn"):
            self.units = checked_units(self.units)  # once, not once per code
        # Index once: each row then reads only its own codes' codings.
        for coding in self.codings:
            self.by_code.setdefault(coding[3], []).append(coding)

    def _once(self, key, compute: Callable):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def continuum(self):
        from codebook.unitizing import CodedContinuum  # noqa: PLC0415 (numpy, lazily)

        return self._once(
            "continuum", lambda: CodedContinuum.from_codings(self.codings, self.coders, self.length)
        )

    def unitizing_alpha(self, codes: tuple, variant: str) -> float:
        if self.unitizing is not None:
            return self.unitizing(self.continuum(), codes, variant)
        return self.continuum().alpha(variant, codes)

    def covered(self, code) -> list:
        return self._once(
            ("covered", code),
            lambda: covered_by_unit(self.by_code.get(code, []), self.units, self.coders, code),
        )

    def presence(self, code) -> list:
        return self._once(
            ("presence", code),
            lambda: presence_from_covered(self.covered(code), self.units, self.threshold),
        )

    def counted_presence(self, codes: tuple) -> CountedUnits:
        """Count the presence patterns of ``codes``, their units laid one after another."""
        import numpy as np  # noqa: PLC0415 (lazily: pages without agreement do not load it)

        from codebook.coverage import unit_patterns  # noqa: PLC0415

        rows = [
            np.concatenate([self.presence(code)[i] for code in codes]).astype(np.int64)
            for i in range(len(self.coders))
        ]
        return CountedUnits(len(rows[0]), *unit_patterns(rows, [False, True]))

    def counted_group(self, row: Row) -> CountedUnits:
        from codebook.coverage import unit_patterns  # noqa: PLC0415 (numpy, lazily)

        covered = [self.covered(code) for code in row.codes]
        values, row.conflicts = nominal_from_covered(
            covered, self.units, self.coders, row.codes, self.threshold
        )
        counted = unit_patterns([v + 1 for v in values], [NOT_CODED, *row.codes])
        return CountedUnits(len(values[0]), *counted)

    def coded(self, codes: tuple) -> list[_Coded]:
        """Each coder's codings of ``codes``, merged, for the character level."""
        from codebook.coverage import merged  # noqa: PLC0415 (numpy, lazily)

        found = []
        for starts, ends in self.continuum().segments_of(codes):
            starts, ends = merged(starts, ends)
            found.append(_Coded(starts, ends, int((ends - starts).sum())))
        return found

    def segment_counts(self) -> list[dict]:
        """Each coder pair's segment counts per code (all the table's codes at once)."""

        def count() -> list[dict]:
            wanted = set(self.all_codes)
            mine = {coder: [] for coder in self.coders}
            for coder, start, end, code in self.codings:
                if code in wanted and coder in mine:
                    mine[coder].append((start, end, code))
            found = []
            for a, b in combinations([mine[coder] for coder in self.coders], 2):
                try:
                    found.append(segment_overlap_agreement(a, b, self.threshold).by_code)
                except AgreementUndefined:  # neither coded anything: no counts
                    found.append({})
            return found

        return self._once("segments", count)

    def fill(self, row: Row) -> Row:
        coders, codes = self.coders, row.codes
        _continuum_figures(row, codes, self.length, self.unitizing_alpha)
        if self.unit == "character":
            _character_figures(row, self.coded(codes) if self.length > 0 else [], self.length)
        elif self.unit == "segment":
            _segment_figures(row, self.segment_counts(), codes, len(set(self.all_codes)))
        elif row.kind == "code":
            counted = self.counted_presence(codes)
            _unit_figures(row, counted, coders, {True, False}, False, self.interval)
        elif row.kind == "group":
            categories = set(codes) | {NOT_CODED}
            counted = self.counted_group(row)
            _unit_figures(row, counted, coders, categories, NOT_CODED, self.interval)
        elif codes:
            # Overall at unit level: every (unit, code) pair is one presence decision.
            counted = self.counted_presence(codes)
            _unit_figures(row, counted, coders, {True, False}, False, self.interval)
        return row
