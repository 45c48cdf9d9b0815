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

from codebook.agreement import (
    AgreementUndefined,
    ac1_from_pairs,
    bootstrap_alpha_interval,
    brennan_prediger_from_pairs,
    character_kappa,
    cohen_from_pairs,
    fleiss_kappa,
    krippendorff_alpha,
    percent_from_pairs,
    unitizing_alpha,
)
from codebook.units import (
    checked_units,
    code_presence_by_unit,
    nominal_value_by_unit,
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


def _unit_figures(
    row: Row, values: dict, coders: Sequence, categories: set, absent, interval=None
) -> None:
    """Fill the predefined-unit coefficients of ``row`` from ``{coder: [value per unit]}``."""
    rows = [values[coder] for coder in coders]
    cells = sum(len(r) for r in rows)
    row.units = len(rows[0]) if rows else 0
    coded = cells - sum(r.count(absent) for r in rows)
    row.prevalence = Figure(coded / cells) if cells else Figure(None, "no units")
    # Units repeat a few patterns of values: count them once, derive every table from them.
    columns = list(zip(*rows, strict=True))
    patterns = Counter(columns)
    tables = _pair_tables(patterns, len(rows))
    row.percent = _pairwise_from_tables(tables, percent_from_pairs)
    if len(coders) == 2:
        row.kappa = (
            Figure(None, tables[0])
            if isinstance(tables[0], str)
            else figure(lambda: cohen_from_pairs(*tables[0]))
        )
    else:
        ordered = sorted(categories, key=repr)
        per_pattern = {p: tuple(p.count(c) for c in ordered) for p in patterns}
        counts = [per_pattern[p] for p in columns]
        row.kappa = figure(lambda: fleiss_kappa(counts))
    row.alpha = figure(lambda: krippendorff_alpha(values))
    if row.alpha.defined:
        try:
            row.interval = (interval or bootstrap_alpha_interval)(values, samples=BOOTSTRAP_SAMPLES)
        except AgreementUndefined as error:
            row.interval_reason = str(error)
    else:
        row.interval_reason = row.alpha.reason
    row.brennan_prediger = _pairwise_from_tables(
        tables, lambda pairs, n: brennan_prediger_from_pairs(pairs, n, categories=categories)
    )
    row.ac1 = _pairwise_from_tables(tables, ac1_from_pairs)


def _segments(codings, codes: set) -> dict:
    by_coder: dict = {}
    for coder, start, end, code in codings:
        if code in codes:
            by_coder.setdefault(coder, []).append((start, end, code))
    return by_coder


def _continuum_figures(
    row: Row, codings, coders, codes: tuple, length: int, unitizing=unitizing_alpha
) -> None:
    """Fill the unitizing alphas: |u for the row's codes together, u and cu within a group."""
    segments = _segments(codings, set(codes))
    data = {coder: segments.get(coder, []) for coder in coders}
    if length <= 0:
        row.binary_alpha = row.u_alpha = row.cu_alpha = Figure(None, "no text")
        return
    row.binary_alpha = figure(lambda: unitizing(data, length, "binary"))
    if len(codes) == 1:
        reason = "one code: u-alpha equals |u-alpha and cu-alpha needs two codes"
        row.u_alpha = Figure(None, reason)
        row.cu_alpha = Figure(None, reason)
        return
    row.u_alpha = figure(lambda: unitizing(data, length, "u"))
    row.cu_alpha = figure(lambda: unitizing(data, length, "cu"))


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
    coded_a = sum(e - s for s, e in a)
    coded_b = sum(e - s for s, e in b)
    return (length - coded_a - coded_b + 2 * both) / length


def _character_figures(row: Row, codings, coders, codes: tuple, length: int) -> None:
    segments = _segments(codings, set(codes))
    spans = [[(s, e) for s, e, _ in segments.get(coder, [])] for coder in coders]
    row.units = length
    if length <= 0:
        row.prevalence = Figure(None, "no text")
        return
    spans = [_union_length(one) for one in spans]  # merged once, reused by every pair
    coded = sum(sum(e - s for s, e in one) for one in spans)
    row.prevalence = Figure(coded / (length * len(coders)))
    row.percent = pairwise_mean(spans, lambda a, b: character_agreement(a, b, length))
    row.kappa = pairwise_mean(spans, lambda a, b: character_kappa(a, b, length))
    row.alpha = row.binary_alpha
    row.interval_reason = "the bootstrap resamples predefined units; the continuum has none"
    row.brennan_prediger = row.ac1 = Figure(None, ONLY_UNITS)


def _segment_figures(row: Row, codings, coders, codes: tuple, all_codes, threshold) -> None:
    segments = _segments(codings, set(codes))
    spans = [segments.get(coder, []) for coder in coders]
    results = []
    for a, b in combinations(spans, 2):
        try:
            results.append(segment_overlap_agreement(a, b, threshold, codes=all_codes))
        except AgreementUndefined:
            continue
    row.units = sum(r.agree_a + r.disagree_a + r.agree_b + r.disagree_b for r in results)
    if not results:
        row.percent = row.kappa = Figure(None, "neither coder coded anything")
    else:
        pairs = len(spans) * (len(spans) - 1) // 2
        note = f"mean of {len(results)} of {pairs} pairs" if pairs > 1 else ""
        row.percent = Figure(sum(r.percent_agreement for r in results) / len(results), note=note)
        kappas = [r.kappa for r in results if r.kappa is not None]
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
) -> list[Row]:
    """Return one row per code, one per group of two or more codes, and one for all.

    ``units`` is required for "sentence" and "turn" and ignored otherwise;
    ``labels`` maps each code to its name for the table. ``interval`` replaces
    ``bootstrap_alpha_interval`` and ``unitizing`` replaces ``unitizing_alpha``
    (same arguments), e.g. to memoise them.
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
        interval or bootstrap_alpha_interval,
        unitizing or unitizing_alpha,
    )
    rows: list[Row] = []
    for group in groups:
        for code in group.codes:
            rows.append(table.fill(Row(labels[code], "code", (code,))))
        if len(group.codes) > 1:
            rows.append(table.fill(Row(group.label, "group", group.codes)))
    rows.append(table.fill(Row("All codes", "all", all_codes)))
    return rows


@dataclass
class _Table:
    codings: Sequence[tuple]
    units: Sequence[tuple] | None
    length: int
    coders: list
    all_codes: tuple
    unit: str
    threshold: float
    interval: Callable
    unitizing: Callable
    presence_cache: dict = field(default_factory=dict)
    by_code: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.units is not None and self.unit in ("sentence", "turn"):
            self.units = checked_units(self.units)  # once, not once per code
        # Index once: each row then reads only its own codes' codings.
        for coding in self.codings:
            self.by_code.setdefault(coding[3], []).append(coding)

    def codings_of(self, codes: tuple) -> list[tuple]:
        if len(codes) == 1:
            return self.by_code.get(codes[0], [])
        return [coding for code in codes for coding in self.by_code.get(code, [])]

    def presence(self, code) -> dict:
        if code not in self.presence_cache:
            self.presence_cache[code] = code_presence_by_unit(
                self.by_code.get(code, []), self.units, self.coders, code, self.threshold
            )
        return self.presence_cache[code]

    def fill(self, row: Row) -> Row:
        coders, codes = self.coders, row.codes
        codings = self.codings_of(codes)
        _continuum_figures(row, codings, coders, codes, self.length, self.unitizing)
        if self.unit == "character":
            _character_figures(row, codings, coders, codes, self.length)
        elif self.unit == "segment":
            _segment_figures(row, codings, coders, codes, self.all_codes, self.threshold)
        elif row.kind == "code":
            _unit_figures(row, self.presence(codes[0]), coders, {True, False}, False, self.interval)
        elif row.kind == "group":
            nominal = nominal_value_by_unit(
                codings, self.units, coders, codes, self.threshold, uncoded=NOT_CODED
            )
            row.conflicts = nominal.conflicts
            categories = set(codes) | {NOT_CODED}
            _unit_figures(row, nominal.values, coders, categories, NOT_CODED, self.interval)
        elif codes:
            # Overall at unit level: every (unit, code) pair is one presence decision.
            pooled: dict = {coder: [] for coder in coders}
            for code in codes:
                for coder in coders:
                    pooled[coder] += self.presence(code)[coder]
            _unit_figures(row, pooled, coders, {True, False}, False, self.interval)
        return row
