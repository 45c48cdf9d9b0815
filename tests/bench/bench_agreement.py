"""Time every agreement figure on a large synthetic study; prints, never asserts.

Three coders, 20 codes in 4 mutually exclusive groups of 5, a 1,000,000-character
transcript, 30,000 codings. Run: python tests/bench/bench_agreement.py
"""

import random
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import contextlib

from codebook.agreement import (  # noqa: E402
    AgreementUndefined,
    bootstrap_alpha_interval,
    brennan_prediger,
    character_kappa,
    cohen_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    unitizing_alpha,
)
from codebook.units import (  # noqa: E402
    code_presence_by_unit,
    nominal_value_by_unit,
    segment_overlap_agreement,
)

LENGTH = 1_000_000
CODERS = ["ann", "ben", "cat"]
GROUPS = [[f"g{g}c{c}" for c in range(5)] for g in range(4)]
CODES = [code for group in GROUPS for code in group]
PER_GROUP_AND_CODER = 30_000 // len(CODERS) // len(GROUPS)


def make_codings(seed=42):
    """Return (coder, start, end, code): a reference coding and two noisy copies."""
    rng = random.Random(seed)
    codings = []
    for group in GROUPS:
        reference, cursor = [], 0
        for _ in range(PER_GROUP_AND_CODER):
            start = cursor + rng.randint(20, 120)
            end = start + rng.randint(40, 200)
            reference.append((start, min(end, LENGTH), rng.choice(group)))
            cursor = end
        for coder in CODERS:
            floor = 0
            for start, end, code in reference:
                if coder != CODERS[0]:
                    start = max(floor, start + rng.randint(-15, 15))
                    end = max(start + 1, min(LENGTH, end + rng.randint(-15, 15)))
                    if rng.random() < 0.15:
                        code = rng.choice(group)
                codings.append((coder, start, end, code))
                floor = end
    return codings


def make_units(rng, low, high):
    units, cursor = [], 0
    while cursor < LENGTH:
        end = min(LENGTH, cursor + rng.randint(low, high))
        units.append((cursor, end))
        cursor = end
    return units


def timed(label, work, totals):
    began = time.perf_counter()
    figures = work()
    spent = time.perf_counter() - began
    totals.append(spent)
    print(f"{label:<58} {spent * 1000:8.1f} ms  ({figures} figures)")


def pairwise(rows):
    count = 0
    for a, b in combinations(rows, 2):
        for coefficient in (percent_agreement, cohen_kappa, scott_pi, brennan_prediger, gwet_ac1):
            with contextlib.suppress(AgreementUndefined):
                coefficient(a, b)
            count += 1
    return count


def on_units(codings, units):
    count = 0
    for code in CODES:
        presence = code_presence_by_unit(codings, units, CODERS, code)
        krippendorff_alpha(presence)
        count += 1 + pairwise(list(presence.values()))
    for group in GROUPS:
        values, _ = nominal_value_by_unit(codings, units, CODERS, group, uncoded="(none)")
        krippendorff_alpha(values)
        count += 1 + pairwise(list(values.values()))
    return count


def on_continuum(codings):
    segments = {coder: [] for coder in CODERS}
    for coder, start, end, code in codings:
        segments[coder].append((start, end, code))
    count = 0
    for group in GROUPS:
        chosen = set(group)
        domain = {c: [s for s in segs if s[2] in chosen] for c, segs in segments.items()}
        for variant in ("u", "binary", "cu"):
            unitizing_alpha(domain, LENGTH, variant)
            count += 1
    for code in CODES:
        one = {c: [s for s in segs if s[2] == code] for c, segs in segments.items()}
        unitizing_alpha(one, LENGTH, "binary")
        for a, b in combinations(CODERS, 2):
            character_kappa(one[a], one[b], LENGTH)
        count += 4
    unitizing_alpha(segments, LENGTH, "1995")
    for a, b in combinations(CODERS, 2):
        segment_overlap_agreement(segments[a], segments[b])
    return count + 4


def main():
    codings = make_codings()
    rng = random.Random(7)
    sentences = make_units(rng, 60, 140)
    turns = make_units(rng, 600, 1400)
    print(
        f"{len(codings)} codings, {len(CODES)} codes, {len(CODERS)} coders, "
        f"{LENGTH} characters, {len(sentences)} sentences, {len(turns)} turns"
    )
    totals = []
    timed(
        "continuum: u/|u/cu per group, |u and char kappa per code",
        lambda: on_continuum(codings),
        totals,
    )
    timed(
        "sentences: presence + alpha + pairwise per code and group",
        lambda: on_units(codings, sentences),
        totals,
    )
    timed(
        "turns: presence + alpha + pairwise per code and group",
        lambda: on_units(codings, turns),
        totals,
    )
    print(f"{'total':<58} {sum(totals) * 1000:8.1f} ms")
    presence = code_presence_by_unit(codings, sentences, CODERS, CODES[0])
    timed(
        "bootstrap (1000 resamples) for one code on sentences",
        lambda: len(bootstrap_alpha_interval(presence, samples=1000)),
        [],
    )


if __name__ == "__main__":
    main()
