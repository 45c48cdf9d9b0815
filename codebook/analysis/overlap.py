"""Arithmetic on coded passages, without the ORM: merging, overlaps, turns, words.

Every passage is ``[start, end)`` in code points of one interview's text.
"""

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the union of ``spans`` as sorted, disjoint spans (touching ones joined)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def count_words(text: str, spans: Iterable[tuple[int, int]]) -> int:
    """Count the words of ``text`` that the merged ``spans`` touch (split on white space)."""
    return sum(len(text[start:end].split()) for start, end in merge_spans(spans))


WORD = re.compile(r"\S+")


def index_words(text: str) -> tuple[array, array]:
    """Return where each word of ``text`` (a run without white space) starts and ends."""
    starts, ends = array("I"), array("I")
    for match in WORD.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
    return starts, ends


def count_indexed_words(
    index: tuple[Sequence[int], Sequence[int]], spans: Iterable[tuple[int, int]]
) -> int:
    """Count the words that the merged ``spans`` touch, from ``index_words``'s index.

    The same figure as ``count_words`` on the text, without the text.
    """
    starts, ends = index
    return sum(
        bisect_left(starts, end) - bisect_right(ends, start) for start, end in merge_spans(spans)
    )


def find_turn(turn_starts: Sequence[int], turn_ends: Sequence[int], start: int, end: int) -> int:
    """Return the index of the first turn that ``[start, end)`` touches, or -1 for none.

    ``turn_starts`` must be sorted and the turns must not overlap.
    """
    index = max(bisect_right(turn_starts, start) - 1, 0)
    while index < len(turn_starts) and turn_starts[index] < end:
        if turn_ends[index] > start:
            return index
        index += 1
    return -1


def partner_codes_by_overlap(segments: Sequence[tuple[int, int, int]]) -> list[set[int]]:
    """For each ``(code, start, end)`` of one interview, return the other codes overlapping it."""
    order = sorted(range(len(segments)), key=lambda i: segments[i][1])
    partners: list[set[int]] = [set() for _ in segments]
    active: list[int] = []
    for i in order:
        code, start, end = segments[i]
        active = [j for j in active if segments[j][2] > start]
        for j in active:
            other = segments[j][0]
            if other != code:
                partners[i].add(other)
                partners[j].add(code)
        active.append(i)
    return partners


def count_overlapping_codes(segments: Sequence[tuple[int, int, int]]) -> dict[tuple[int, int], int]:
    """Count, per (code, other code), the ``(code, start, end)`` segments of one interview that
    overlap a segment of the other code.

    The same figures as ``count_cooccurrence`` over ``partner_codes_by_overlap``, from arrays:
    a large study has 80,000 segments and twice as many overlapping pairs.
    """
    import numpy as np  # noqa: PLC0415 (lazily: numpy takes a while to import)

    if not segments:
        return {}
    table = np.array(segments, dtype=np.int64)
    table = table[np.argsort(table[:, 1], kind="stable")]
    starts, ends = table[:, 1], table[:, 2]
    names, codes = np.unique(table[:, 0], return_inverse=True)  # the codes numbered 0..k-1
    k = len(names)
    # Sorted by start, segment i overlaps each later one that starts before its end.
    reach = np.searchsorted(starts, ends, side="left")
    later = np.maximum(reach - np.arange(len(starts)) - 1, 0)
    first = np.repeat(np.arange(len(starts)), later)
    second = np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later) + first + 1
    # Each pair counts for both of its segments, and a segment once per other code.
    segment = np.concatenate([first, second])
    other = np.concatenate([codes[second], codes[first]])
    apart = codes[segment] != other
    found = np.unique(segment[apart] * k + other[apart])
    numbers = np.bincount(codes[found // k] * k + found % k, minlength=k * k)
    pairs = np.flatnonzero(numbers)
    return {
        (int(names[pair // k]), int(names[pair % k])): int(numbers[pair]) for pair in pairs.tolist()
    }


def partner_codes_by_turn(
    segments: Sequence[tuple[int, int, int]], turns: Sequence[tuple[int, int]]
) -> list[set[int]]:
    """For each ``(code, start, end)``, return the other codes coded in its speaker turn.

    A segment belongs to the first turn it touches; outside every turn it has no partners.
    """
    starts = [turn[0] for turn in turns]
    ends = [turn[1] for turn in turns]
    where = [find_turn(starts, ends, start, end) for _, start, end in segments]
    codes_in_turn: dict[int, set[int]] = defaultdict(set)
    for (code, _, _), turn in zip(segments, where, strict=True):
        if turn >= 0:
            codes_in_turn[turn].add(code)
    return [
        codes_in_turn[turn] - {code} if turn >= 0 else set()
        for (code, _, _), turn in zip(segments, where, strict=True)
    ]


def count_by_turn(
    segments: Sequence[tuple[int, int, int]], turns: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """Count, per (code, other code), the code's ``(code, start, end)`` segments whose turn (the
    first one they touch) also holds a segment of the other code.

    The same figures as ``count_cooccurrence(partner_codes_by_turn(...))``, without building a
    set per segment.
    """
    starts = [turn[0] for turn in turns]
    ends = [turn[1] for turn in turns]
    per_turn: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for code, start, end in segments:
        turn = find_turn(starts, ends, start, end)
        if turn >= 0:
            per_turn[turn][code] += 1
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for codes in per_turn.values():
        if len(codes) < 2:
            continue
        for code, number in codes.items():
            for other in codes:
                if other != code:
                    counts[(code, other)] += number
    return dict(counts)


def count_cooccurrence(partner_sets: Iterable[tuple[int, set[int]]]) -> dict[tuple[int, int], int]:
    """Count, per (row code, column code), the row code's segments near the column code."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for code, partners in partner_sets:
        for other in partners:
            counts[(code, other)] += 1
    return dict(counts)
