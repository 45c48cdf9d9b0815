"""Inter-coder agreement statistics on plain Python data (no ORM).

Conventions shared by every function here:

* ``None`` is a missing rating. A pair with a missing side is skipped; a unit keeps
  only its present values.
* Malformed input (unequal lengths, out-of-range segments, unknown options) raises
  ``ValueError``.
* A coefficient whose chance term leaves nothing to correct for (expected
  disagreement 0, e.g. everyone used one single category or nobody coded anything)
  has no value: it raises ``AgreementUndefined`` (a ``ValueError``), never returns
  NaN. So does empty data. Percent agreement stays defined whenever one pair exists.
* The one exception is ``character_kappa``, which reports 1.0 where NVivo does.
"""

import bisect
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from operator import itemgetter

LEVELS = ("nominal", "ordinal", "interval", "ratio")
VARIANTS = ("u", "binary", "cu", "1995")


class AgreementUndefined(ValueError):
    """Raised when the data leave a coefficient without a value (0/0)."""


# --- two coders, predefined units -------------------------------------------------


def _pair_counts(a: Sequence, b: Sequence) -> tuple[Counter, int]:
    if len(a) != len(b):
        raise ValueError(f"the two codings differ in length ({len(a)} and {len(b)})")
    pairs = Counter(zip(a, b, strict=True))
    for key in [k for k in pairs if k[0] is None or k[1] is None]:
        del pairs[key]
    n = sum(pairs.values())
    if n == 0:
        raise AgreementUndefined("no unit was rated by both coders")
    return pairs, n


def _marginals(pairs: Counter) -> tuple[Counter, Counter, int]:
    rows: Counter = Counter()
    cols: Counter = Counter()
    agreed = 0
    for (x, y), count in pairs.items():
        rows[x] += count
        cols[y] += count
        if x == y:
            agreed += count
    return rows, cols, agreed


def percent_agreement(a: Sequence, b: Sequence) -> float:
    """Return the share of units both coders rated alike.

    Raises AgreementUndefined when no unit was rated by both.
    """
    return percent_from_pairs(*_pair_counts(a, b))


def pair_counts(a: Sequence, b: Sequence) -> tuple[Counter, int]:
    """Return the two coders' contingency table ``{(value a, value b): units}`` and its total.

    Pass it to the ``*_from_pairs`` functions to derive several pairwise coefficients
    from one count. Raises AgreementUndefined when no unit was rated by both.
    """
    return _pair_counts(a, b)


def percent_from_pairs(pairs: Counter, n: int) -> float:
    """Return ``percent_agreement`` from the table of ``pair_counts``."""
    return _marginals(pairs)[2] / n


def cohen_kappa(a: Sequence, b: Sequence) -> float:
    """Return Cohen's kappa: chance from each coder's own marginals.

    Raises AgreementUndefined when both coders used one and the same single category.
    """
    return cohen_from_pairs(*_pair_counts(a, b))


def cohen_from_pairs(pairs: Counter, n: int) -> float:
    """Return ``cohen_kappa`` from the table of ``pair_counts``."""
    rows, cols, agreed = _marginals(pairs)
    # Integer arithmetic keeps the degenerate test exact: p_e = chance / n².
    chance = sum(rows[c] * cols[c] for c in rows)
    if chance == n * n:
        raise AgreementUndefined("chance agreement is 1: one single category used")
    return (agreed * n - chance) / (n * n - chance)


def scott_pi(a: Sequence, b: Sequence) -> float:
    """Return Scott's pi: chance from the two coders' pooled marginals.

    Raises AgreementUndefined when only one category was used.
    """
    pairs, n = _pair_counts(a, b)
    rows, cols, agreed = _marginals(pairs)
    chance = sum((rows[c] + cols[c]) ** 2 for c in rows.keys() | cols.keys())
    if chance == 4 * n * n:
        raise AgreementUndefined("chance agreement is 1: one single category used")
    return (4 * agreed * n - chance) / (4 * n * n - chance)


def brennan_prediger(a: Sequence, b: Sequence, categories=None) -> float:
    """Return Brennan & Prediger's kappa (Bennett's S): chance is 1/q.

    q is the number of ``categories`` available; by default the categories present
    in the rated pairs, which is what irrCAC does but flatters rarely used codebooks:
    pass the codebook's categories to fix q. Raises ValueError when a label lies
    outside ``categories`` and AgreementUndefined when q < 2.
    """
    return brennan_prediger_from_pairs(*_pair_counts(a, b), categories)


def brennan_prediger_from_pairs(pairs: Counter, n: int, categories=None) -> float:
    """Return ``brennan_prediger`` from the table of ``pair_counts``."""
    rows, cols, agreed = _marginals(pairs)
    present = rows.keys() | cols.keys()
    if categories is None:
        q = len(present)
    else:
        categories = set(categories)
        if stray := present - categories:
            raise ValueError(f"labels outside the given categories: {sorted(map(repr, stray))}")
        q = len(categories)
    if q < 2:
        raise AgreementUndefined("fewer than two categories: chance agreement is 1")
    return (q * agreed - n) / (n * (q - 1))


def gwet_ac1(a: Sequence, b: Sequence) -> float:
    """Return Gwet's AC1 for two coders.

    q is the number of categories present in the rated pairs (irrCAC's default).
    Raises AgreementUndefined when only one category was used.
    """
    return ac1_from_pairs(*_pair_counts(a, b))


def ac1_from_pairs(pairs: Counter, n: int) -> float:
    """Return ``gwet_ac1`` from the table of ``pair_counts``."""
    rows, cols, agreed = _marginals(pairs)
    present = rows.keys() | cols.keys()
    if len(present) < 2:
        raise AgreementUndefined("only one category used: AC1 has no chance term")
    shares = [(rows[c] + cols[c]) / (2 * n) for c in sorted(present, key=repr)]
    chance = sum(p * (1 - p) for p in shares) / (len(present) - 1)
    return (agreed / n - chance) / (1 - chance)


def fleiss_kappa(counts: Sequence) -> float:
    """Return Fleiss' kappa from ``counts[subject][category]``.

    Rows are lists (one column per category) or dicts (category -> count; absent
    keys count 0). Every subject needs the same number (>= 2) of raters, else
    ValueError. Raises AgreementUndefined for no subjects or one category only.
    """
    if not counts:
        raise AgreementUndefined("no subjects")
    if isinstance(counts[0], Mapping):
        categories = sorted({c for row in counts for c in row}, key=repr)
        rows = [tuple(row.get(c, 0) for c in categories) for row in counts]
    else:
        rows = [row if type(row) is tuple else tuple(row) for row in counts]
    # Subjects repeat a few rows of counts: check and score each distinct row once.
    distinct = Counter(rows)
    position = {row: i for i, row in enumerate(distinct)}
    return fleiss_from_rows(list(distinct), list(distinct.values()), [position[r] for r in rows])


def fleiss_from_rows(
    rows: Sequence[tuple], counts: Sequence[int], subjects: Sequence[int]
) -> float:
    """Return ``fleiss_kappa`` from distinct rows of counts and how often each occurs.

    ``rows[i]`` counts the raters per category and ``counts[i]`` the subjects with
    that row; ``subjects`` holds each subject's row position, in subject order
    (the mean agreement is summed in that order).
    """
    if not subjects:
        raise AgreementUndefined("no subjects")
    if len({len(row) for row in rows}) > 1:
        raise ValueError("every subject needs a count for every category")
    raters = sum(rows[subjects[0]])
    if raters < 2 or any(sum(row) != raters for row in rows):
        raise ValueError("every subject needs the same number (>= 2) of raters")
    agreement = [(sum(x * x for x in row) - raters) / (raters * (raters - 1)) for row in rows]
    # Summed subject by subject, in order, so the float result is the same as ever.
    observed = sum(map(agreement.__getitem__, subjects)) / len(subjects)
    totals = [
        sum(value * count for value, count in zip(column, counts, strict=True))
        for column in zip(*rows, strict=True)
    ]
    chance = sum((t / (len(subjects) * raters)) ** 2 for t in totals)
    if max(totals) == len(subjects) * raters:
        raise AgreementUndefined("all ratings fall in one category")
    return (observed - chance) / (1 - chance)


def character_kappa(segments_a: Sequence, segments_b: Sequence, length: int) -> float:
    """Return NVivo's kappa for one code: coded / not coded per character.

    Segments are ``(start, end, ...)`` half-open character offsets; overlaps of one
    coder count once. Where both coders treat every character alike (nothing coded,
    or everything), the formula gives 0/0 and, like NVivo, this returns 1.0.
    Computed from interval lengths, never per character.
    """
    if length <= 0:
        raise ValueError("length must be positive")
    a = _union([(s[0], s[1]) for s in segments_a], length)
    b = _union([(s[0], s[1]) for s in segments_b], length)
    coded_a = sum(e - s for s, e in a)
    coded_b = sum(e - s for s, e in b)
    return character_kappa_from_lengths(coded_a, coded_b, _intersection_length(a, b), length)


def character_kappa_from_lengths(coded_a: int, coded_b: int, both: int, length: int) -> float:
    """Return ``character_kappa`` from the characters each coder coded and both coded."""
    agreed = length - coded_a - coded_b + 2 * both
    chance = coded_a * coded_b + (length - coded_a) * (length - coded_b)
    if chance == length * length:
        return 1.0
    return (agreed * length - chance) / (length * length - chance)


def _union(intervals: list, length: int) -> list[tuple]:
    for s, e in intervals:
        if not 0 <= s <= e <= length:
            raise ValueError(f"segment ({s}, {e}) lies outside 0..{length} or is reversed")
    merged: list[list] = []
    for s, e in sorted(intervals):
        if s == e:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _intersection_length(a: list[tuple], b: list[tuple]) -> int:
    i = j = total = 0
    while i < len(a) and j < len(b):
        total += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


# --- Krippendorff's alpha for predefined units --------------------------------------


def unit_patterns(data) -> Counter:
    """Return ``{(value of each coder): units}`` for ``data[coder][unit]`` (list or dict of coders).

    Alpha and its bootstrap depend on nothing else: pass the result to
    ``alpha_from_patterns`` or ``bootstrap_from_patterns`` to count the units once
    for several figures. Keys keep the order in which the patterns first occur.
    """
    rows = list(data.values()) if isinstance(data, Mapping) else list(data)
    if len({len(row) for row in rows}) > 1:
        raise ValueError("every coder needs a value (or None) for every unit")
    return Counter(zip(*rows, strict=True))


def _present_values(patterns: Mapping) -> Counter:
    """Group the pairable patterns by their values present (coders do not matter)."""
    grouped: Counter = Counter()
    # Grouping identical units first makes large presence tables cheap to pair.
    for values, count in patterns.items():
        present = Counter(v for v in values if v is not None)
        if sum(present.values()) >= 2:
            grouped[frozenset(present.items())] += count
    return grouped


def _unit_coincidences(patterns: Mapping) -> list[tuple[dict, int]]:
    """Return each distinct pairable unit's coincidences with its multiplicity."""
    out = []
    for present, count in _present_values(patterns).items():
        m_u = sum(n for _, n in present)
        # A fixed order keeps float sums identical across processes (set order of
        # strings changes with hash randomisation).
        ordered = sorted(present, key=repr)
        o = {}
        for c, n_c in ordered:
            for k, n_k in ordered:
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    o[c, k] = pairs / (m_u - 1)
        out.append((o, count))
    return out


def _delta(level: str, values: list, n_c: dict):
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "interval":
        return lambda c, k: float((c - k) ** 2)
    if level == "ratio":
        return lambda c, k: 0.0 if c + k == 0 else ((c - k) / (c + k)) ** 2
    # Ordinal ranks come from the coincidence marginals (Krippendorff), not from
    # the values' positions (irrCAC's "ordinal" weights give a different alpha).
    ordered = sorted(values)
    rank = {v: i for i, v in enumerate(ordered)}
    cumulative = [0.0]
    for v in ordered:
        cumulative.append(cumulative[-1] + n_c[v])

    def ordinal(c, k):
        i, j = sorted((rank[c], rank[k]))
        return (cumulative[j + 1] - cumulative[i] - (n_c[c] + n_c[k]) / 2) ** 2

    return ordinal


def _alpha_from(coincidences: dict, level: str) -> float:
    n_c: dict = defaultdict(float)
    for (c, _), o in coincidences.items():
        n_c[c] += o
    n = sum(n_c.values())
    if n == 0:
        raise AgreementUndefined("no unit has two or more values")
    delta = _delta(level, list(n_c), n_c)
    observed = sum(o * delta(c, k) for (c, k), o in coincidences.items())
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in n_c for k in n_c)
    if expected == 0:
        raise AgreementUndefined("no variation in the values: expected disagreement is 0")
    return 1 - (n - 1) * observed / expected


def _summed(units: list[tuple[dict, int]], weights) -> dict:
    total: dict = defaultdict(float)
    for (o, _), weight in zip(units, weights, strict=True):
        if weight:
            for key, value in o.items():
                total[key] += value * weight
    return total


def krippendorff_alpha(data, level: str = "nominal") -> float:
    """Return Krippendorff's alpha for ``data[coder][unit]`` (list or dict of coders).

    Units with fewer than two values are ignored. Levels: nominal, ordinal (values
    must sort), interval, ratio (numbers). Raises AgreementUndefined when no unit
    has two values or all pairable values are the same (NLTK would return 1.0).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    return alpha_from_patterns(unit_patterns(data), level)


def alpha_from_patterns(patterns: Mapping, level: str = "nominal") -> float:
    """Return ``krippendorff_alpha`` from the counts of ``unit_patterns``."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    units = _unit_coincidences(patterns)
    return _alpha_from(_summed(units, [count for _, count in units]), level)


def bootstrap_alpha_interval(
    data, level: str = "nominal", samples: int = 1000, seed: int = 0, confidence: float = 0.95
) -> tuple[float, float]:
    """Return a percentile bootstrap interval (low, high) for Krippendorff's alpha.

    Resamples pairable units with replacement and recomputes alpha; deterministic
    for a given seed and numpy version (see ``codebook.bootstrap``). Hayes &
    Krippendorff's KALPHA macro instead redraws value pairs from the coincidence
    matrix with D_e held fixed, so its intervals are narrower and will not match.
    Resamples without variation are left out; raises AgreementUndefined when the
    data or every resample leave alpha undefined.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    return bootstrap_from_patterns(unit_patterns(data), level, samples, seed, confidence)


def bootstrap_from_patterns(
    patterns: Mapping,
    level: str = "nominal",
    samples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Return ``bootstrap_alpha_interval`` from the counts of ``unit_patterns``."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if samples < 1 or not 0 < confidence < 1:
        raise ValueError("samples must be >= 1 and confidence between 0 and 1")
    # numpy only when an interval is drawn: a page that shows none does not load it.
    from codebook.bootstrap import resampled_alphas  # noqa: PLC0415

    alphas = resampled_alphas(_present_values(patterns), level, samples, seed)
    if alphas is None:
        raise AgreementUndefined("no unit has two or more values")
    if not alphas:
        raise AgreementUndefined("alpha is undefined in every resample")
    alphas.sort()
    tail = (1 - confidence) / 2
    return _quantile(alphas, tail), _quantile(alphas, 1 - tail)


def _quantile(ordered: list[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- Krippendorff's alpha family for unitized continua ------------------------------


def _checked_continua(segments: Mapping, length) -> list[tuple]:
    if length <= 0:
        raise ValueError("length must be positive")
    if len(segments) < 2:
        raise ValueError("unitizing alpha needs at least two coders")
    continua = []
    for coder, segs in segments.items():
        kept = []
        for seg in segs:
            start, end, code = seg
            if not 0 <= start <= end <= length:
                raise ValueError(
                    f"coder {coder!r}: segment ({start}, {end}, {code!r}) lies outside "
                    f"0..{length} or ends before it starts"
                )
            if start < end:  # zero-length selections carry no text
                kept.append((start, end, code))
        kept.sort(key=itemgetter(0, 1))
        continua.append((coder, kept))
    return continua


def _merged(spans: list[tuple]) -> list[tuple]:
    """Merge one coder's overlapping (start, end) spans of one code, sorted; touching stay apart."""
    out: list[list] = []
    for start, end in spans:
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [tuple(span) for span in out]


def _sections(units: list[tuple], length) -> list[tuple]:
    out, cursor = [], 0
    for start, end in units:
        if start > cursor:
            out.append((cursor, start, False))
        out.append((start, end, True))
        cursor = end
    if cursor < length:
        out.append((cursor, length, False))
    return out


def _disagreements_1995(observers: list[list[tuple]], length) -> tuple[float, float]:
    """Return (uD_o, uD_e) of one code after Krippendorff (1995; 2004 §12.4)."""
    m = len(observers)
    sections = [_sections(units, length) for units in observers]
    distance = 0
    for i in range(m):
        for j in range(i + 1, m):
            a, b, x, y = sections[i], sections[j], 0, 0
            while x < len(a) and y < len(b):
                (sa, ea, unit_a), (sb, eb, unit_b) = a[x], b[y]
                if unit_a and unit_b:
                    distance += (sa - sb) ** 2 + (ea - eb) ** 2
                elif unit_a and sb <= sa and ea <= eb:
                    distance += (ea - sa) ** 2
                elif unit_b and sa <= sb and eb <= ea:
                    distance += (eb - sb) ** 2
                x, y = x + (ea <= eb), y + (eb <= ea)
    observed = 2 * distance / (m * (m - 1) * length * length)
    units = [e - s for obs in observers for s, e in obs]
    gaps = sorted(e - s for secs in sections for s, e, unit in secs if not unit)
    tail_sums = [0] * (len(gaps) + 1)
    for i in range(len(gaps) - 1, -1, -1):
        tail_sums[i] = tail_sums[i + 1] + gaps[i]
    numerator = 0.0
    for size in units:
        first = bisect.bisect_left(gaps, size)
        fitting = tail_sums[first] - (len(gaps) - first) * (size - 1)
        numerator += (len(units) - 1) * (2 * size**3 - 3 * size**2 + size) / 3
        numerator += size * size * fitting
    denominator = m * length * (m * length - 1) - sum(s * (s - 1) for s in units)
    return observed, 2 / length * numerator / denominator


def unitizing_alpha(segments: Mapping, length, variant: str = "u") -> float:
    """Return Krippendorff's alpha for unitized text, as ATLAS.ti reports it.

    ``segments`` maps each coder to ``(start, end, code)`` half-open offsets with
    0 <= start <= end <= length (zero-length ones are ignored; others out of range
    raise ValueError). Uncoded text is the gap. A coder's overlapping segments of
    one code are merged; touching ones stay separate units.

    Variants (Krippendorff, Mathet, Bouvry & Widlöcher 2016; Krippendorff 2019
    §12.6): "u" judges boundaries and codes; "binary" (|u-alpha) only coded versus
    not coded, per code when given one code's segments; "cu" which code was applied
    where coders' segments overlap (pass domains as codes for Cu-alpha). "u" and
    "cu" need the codes of one call to be mutually exclusive per coder (one semantic
    domain), else ValueError. "1995" is the older per-code u-alpha (Krippendorff
    1995/2004, as in DKPro): 1 - sum(D_o)/sum(D_e) over codes. Raises
    AgreementUndefined when expected disagreement is 0.
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    if variant != "1995":
        # numpy only when an alpha is computed: a page that shows none does not load it.
        from codebook.unitizing import CodedContinuum  # noqa: PLC0415

        return CodedContinuum(segments, length).alpha(variant)
    checked = _checked_continua(segments, length)
    by_code: dict = defaultdict(lambda: [[] for _ in checked])
    for ci, (_, segs) in enumerate(checked):
        for s, e, code in segs:
            by_code[code][ci].append((s, e))
    observed = expected = 0.0
    for observers in by_code.values():
        units = [_merged(spans) for spans in observers]
        d_o, d_e = _disagreements_1995(units, length)
        observed, expected = observed + d_o, expected + d_e
    if expected == 0:
        raise AgreementUndefined("nothing was coded: expected disagreement is 0")
    return 1 - observed / expected
