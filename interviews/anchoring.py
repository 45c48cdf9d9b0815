"""Carry coded passages over to a corrected transcript text (no ORM).

When a transcript is corrected, every coding's ``[start, end)`` (code points into
the old text) must move to the new text. ``reanchor`` diffs the two texts once,
builds an old-to-new offset map, and maps each passage through it:

- "moved": every character of the passage survives, unbroken; it may have shifted.
- "changed": part of it was edited; the new span runs from the first surviving
  character to the last, so an insertion inside a passage is taken into it.
  Flag these for review.
- "lost": every character was deleted; start and end are None.

The diff refines in steps (lines, then sentences, then words, then characters),
each step only inside the parts the coarser one found changed, and each step is
a shortest-edit-script diff whose cost grows with the number of edits, so a long
transcript with scattered corrections costs little more than reading it.
"""

import difflib
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import NamedTuple

MOVED = "moved"
CHANGED = "changed"
LOST = "lost"


class Reanchored(NamedTuple):
    """Where a passage lies in the new text, and whether it survived intact."""

    start: int | None
    end: int | None
    status: str


# Each pattern splits a string into tokens that add up to the whole string.
_LEVELS = (
    re.compile(r"[^\n]*\n+|[^\n]+"),  # lines, blank lines kept with the line above
    re.compile(r"[^.!?]*[.!?]+\s*|[^.!?]+"),  # sentences
    re.compile(r"\S+\s*|\s+"),  # words with their trailing space
)
# A corrected transcript differs from the old one in few tokens, so an O(ND)
# diff (N tokens, D edits) is fast. Past this many edits at one level the texts
# are too different for that and difflib takes over.
_MAX_EDITS = 500
# Above this many tokens, let difflib ignore very common ones when seeding
# matches: otherwise "the" and "and" make it quadratic. Matches still grow
# across common tokens, so little is lost.
_AUTOJUNK_FROM = 2000
# Above this many character pairs, difflib would be too slow: leave unmatched.
_MAX_CHARACTER_PAIRS = 4_000_000


def match_texts(old: str, new: str) -> list[tuple[int, int, int]]:
    """Return ``(old_start, new_start, length)`` for each stretch both texts share."""
    blocks: list[tuple[int, int, int]] = []
    _match(old, new, 0, 0, 0, blocks)
    merged: list[tuple[int, int, int]] = []
    for a, b, size in blocks:
        if not size:
            continue
        if merged and sum(merged[-1][::2]) == a and sum(merged[-1][1:]) == b:
            last = merged.pop()
            merged.append((last[0], last[1], last[2] + size))
        else:
            merged.append((a, b, size))
    return _slide_gaps(merged, old, new)


# How far a gap may slide; longer runs of repeated text are left as found.
_MAX_SLIDE = 200


def _slide_gaps(
    blocks: list[tuple[int, int, int]], old: str, new: str
) -> list[tuple[int, int, int]]:
    """Move each pure deletion or insertion to the best of its equivalent places.

    Deleting "B." from "A. B." can be matched as deleting ". B" just as well
    (the same characters survive), which would cut the full stop off the
    sentence before it. Among the places a gap can slide to, take the first
    where it starts with white space or at the start of a word.
    """
    blocks = list(blocks)
    for index in range(len(blocks) - 1):
        a1, b1, s1 = blocks[index]
        a2, b2, s2 = blocks[index + 1]
        if b1 + s1 == b2 and a2 > a1 + s1:
            text, start, end = old, a1 + s1, a2
        elif a1 + s1 == a2 and b2 > b1 + s1:
            text, start, end = new, b1 + s1, b2
        else:
            continue
        left = 0
        while left < min(s1, _MAX_SLIDE) and text[start - left - 1] == text[end - left - 1]:
            left += 1
        right = 0
        while right < min(s2, _MAX_SLIDE) and text[start + right] == text[end + right]:
            right += 1
        for shift in range(-left, right + 1):
            at = start + shift
            if text[at].isspace() or at == 0 or text[at - 1].isspace():
                break
        else:
            continue
        if shift:
            blocks[index] = (a1, b1, s1 + shift)
            blocks[index + 1] = (a2 + shift, b2 + shift, s2 - shift)
    return [block for block in blocks if block[2]]


def _match(old: str, new: str, old_at: int, new_at: int, level: int, out: list) -> None:
    prefix = _common_prefix(old, new)
    if prefix:
        out.append((old_at, new_at, prefix))
    suffix = _common_suffix(old[prefix:], new[prefix:])
    old_middle = old[prefix : len(old) - suffix]
    new_middle = new[prefix : len(new) - suffix]
    if old_middle and new_middle:
        _match_middle(old_middle, new_middle, old_at + prefix, new_at + prefix, level, out)
    if suffix:
        out.append((old_at + len(old) - suffix, new_at + len(new) - suffix, suffix))


def _match_middle(old: str, new: str, old_at: int, new_at: int, level: int, out: list) -> None:
    finest = level == len(_LEVELS)
    if finest:
        old_tokens: Sequence[str] = old
        new_tokens: Sequence[str] = new
        old_offsets: Sequence[int] = range(len(old) + 1)
        new_offsets: Sequence[int] = range(len(new) + 1)
    else:
        old_tokens = _LEVELS[level].findall(old)
        new_tokens = _LEVELS[level].findall(new)
        old_offsets = _offsets(old_tokens)
        new_offsets = _offsets(new_tokens)
    blocks = _matching_tokens(old_tokens, new_tokens, finest)
    i = j = 0
    for ti, tj, size in [*blocks, (len(old_tokens), len(new_tokens), 0)]:
        if ti > i and tj > j and not finest:
            a, b = old_offsets[i], new_offsets[j]
            _match(
                old[a : old_offsets[ti]],
                new[b : new_offsets[tj]],
                old_at + a,
                new_at + b,
                level + 1,
                out,
            )
        if size:
            a, b = old_offsets[ti], new_offsets[tj]
            out.append((old_at + a, new_at + b, old_offsets[ti + size] - a))
        i, j = ti + size, tj + size


def _matching_tokens(
    old: Sequence[str], new: Sequence[str], characters: bool
) -> list[tuple[int, int, int]]:
    blocks = _shortest_edit_matches(old, new, _MAX_EDITS)
    if blocks is not None:
        return blocks
    if characters and len(old) * len(new) > _MAX_CHARACTER_PAIRS:
        return []
    autojunk = min(len(old), len(new)) >= _AUTOJUNK_FROM
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=autojunk)
    return [(a, b, size) for a, b, size in matcher.get_matching_blocks()[:-1]]


def _shortest_edit_matches(
    old: Sequence[str], new: Sequence[str], max_edits: int
) -> list[tuple[int, int, int]] | None:
    """Return the matches of a shortest edit script (Myers), or None past max_edits."""
    n, m = len(old), len(new)
    centre = max_edits + 1
    furthest = [0] * (2 * centre + 1)  # furthest x reached on each diagonal k = x - y
    history = []
    for edits in range(max_edits + 1):
        history.append(furthest[centre - edits - 1 : centre + edits + 2])
        for k in range(-edits, edits + 1, 2):
            if k == -edits or (k != edits and furthest[centre + k - 1] < furthest[centre + k + 1]):
                x = furthest[centre + k + 1]
            else:
                x = furthest[centre + k - 1] + 1
            y = x - k
            while x < n and y < m and old[x] == new[y]:
                x += 1
                y += 1
            furthest[centre + k] = x
            if x >= n and y >= m:
                return _trace_back(history, n, m)
    return None


def _trace_back(history: list[list[int]], x: int, y: int) -> list[tuple[int, int, int]]:
    blocks = []
    for edits in range(len(history) - 1, 0, -1):
        window = history[edits]  # diagonals -edits-1 .. edits+1 before this round

        def reach(k: int, window: list[int] = window, edits: int = edits) -> int:
            return window[k + edits + 1]

        k = x - y
        if k == -edits or (k != edits and reach(k - 1) < reach(k + 1)):
            previous_k = k + 1
            snake_x = reach(previous_k)
        else:
            previous_k = k - 1
            snake_x = reach(previous_k) + 1
        if x > snake_x:
            blocks.append((snake_x, snake_x - k, x - snake_x))
        x = reach(previous_k)
        y = x - previous_k
    if x:
        blocks.append((0, 0, x))
    blocks.reverse()
    return blocks


def _offsets(tokens: list[str]) -> list[int]:
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def _common_prefix(a: str, b: str) -> int:
    # Binary search on slices: each comparison runs in C.
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid : len(a) - low] == b[len(b) - mid : len(b) - low]:
            low = mid
        else:
            high = mid - 1
    return low


class OffsetMap:
    """Map old-text passages to the new text through the shared stretches."""

    def __init__(self, blocks: list[tuple[int, int, int]]) -> None:
        self._old_starts = [a for a, _, _ in blocks]
        self._blocks = blocks

    def map_span(self, start: int, end: int) -> Reanchored:
        """Map one ``[start, end)`` of the old text; see the module doc for statuses."""
        first = self._first_surviving(start, end)
        last = self._last_surviving(start, end)
        if first is None or last is None:
            return Reanchored(None, None, LOST)
        first_block, first_char = first
        last_block, last_char = last
        a, b, _ = self._blocks[first_block]
        new_start = b + first_char - a
        a, b, _ = self._blocks[last_block]
        new_end = b + last_char - a + 1
        intact = first_block == last_block and first_char == start and last_char == end - 1
        return Reanchored(new_start, new_end, MOVED if intact else CHANGED)

    def _first_surviving(self, start: int, end: int) -> tuple[int, int] | None:
        index = bisect_right(self._old_starts, start) - 1
        if index >= 0:
            a, _, size = self._blocks[index]
            if start < a + size:
                return index, start
        index += 1
        if index < len(self._blocks) and self._blocks[index][0] < end:
            return index, self._blocks[index][0]
        return None

    def _last_surviving(self, start: int, end: int) -> tuple[int, int] | None:
        index = bisect_right(self._old_starts, end - 1) - 1
        if index < 0:
            return None
        a, _, size = self._blocks[index]
        last = min(end - 1, a + size - 1)
        if last < start:
            return None
        return index, last


def reanchor(old_text: str, new_text: str, spans: Iterable[tuple[int, int]]) -> list[Reanchored]:
    """Map each ``(start, end)`` of the old text into the new text, in order.

    Offsets are code points. Raises ``ValueError`` for an empty span or one
    outside the old text.
    """
    spans = list(spans)
    for start, end in spans:
        if not 0 <= start < end <= len(old_text):
            raise ValueError(f"passage {start}-{end} is not inside the old text")
    offset_map = OffsetMap(match_texts(old_text, new_text))
    return [offset_map.map_span(start, end) for start, end in spans]
