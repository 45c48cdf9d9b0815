"""Precision, recall and F1 of suggestions against codings, counted in sentences.

Passages rarely line up character for character, so both sides are turned into
labelled sentences first: a sentence carries a code when that code's spans
cover at least ``threshold`` of its characters.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

Span = tuple[int, int]
CodedSpan = tuple[int, int, Hashable]


@dataclass(frozen=True)
class Scores:
    """Counts of one comparison and the precision, recall and F1 they give."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> Scores:
        """Compute the scores; an empty denominator scores 0."""
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1, tp, fp, fn)


@dataclass(frozen=True)
class ScoreReport:
    """Scores per code, pooled over all codes (micro), and the mean F1 of codes (macro)."""

    per_code: dict[Hashable, Scores]
    overall: Scores
    macro_f1: float

    def to_dict(self) -> dict[str, Any]:
        """Return plain lists and dicts for JSON or msgpack; code ids keep their type."""
        return {
            "per_code": [{"code": code, **asdict(s)} for code, s in self.per_code.items()],
            "overall": asdict(self.overall),
            "macro_f1": self.macro_f1,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreReport:
        """Rebuild a report saved with ``to_dict``."""
        per_code = {}
        for row in data["per_code"]:
            counts = {key: value for key, value in row.items() if key != "code"}
            per_code[row["code"]] = Scores(**counts)
        return cls(per_code, Scores(**data["overall"]), data["macro_f1"])


def label_set_scores(
    predicted: Sequence[Iterable[Hashable]],
    gold: Sequence[Iterable[Hashable]],
    labels: Iterable[Hashable] | None = None,
) -> ScoreReport:
    """Compare the codes predicted for each unit with the codes it really has.

    Codes are reported in the order of ``labels``; by default every code that
    occurs on either side, in order of appearance.
    """
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predicted units but {len(gold)} gold units")
    counts: dict[Hashable, list[int]] = {}
    if labels is not None:
        counts = {label: [0, 0, 0] for label in labels}
    for predicted_codes, gold_codes in zip(predicted, gold, strict=True):
        predicted_set, gold_set = set(predicted_codes), set(gold_codes)
        for code in predicted_set | gold_set:
            if code not in counts:
                if labels is not None:
                    continue
                counts[code] = [0, 0, 0]
            in_predicted, in_gold = code in predicted_set, code in gold_set
            counts[code][0 if in_predicted and in_gold else 1 if in_predicted else 2] += 1
    per_code = {code: Scores.from_counts(*c) for code, c in counts.items()}
    overall = Scores.from_counts(*(sum(c[i] for c in counts.values()) for i in range(3)))
    macro_f1 = sum(s.f1 for s in per_code.values()) / len(per_code) if per_code else 0.0
    return ScoreReport(per_code, overall, macro_f1)


def sentence_labels(
    spans: Iterable[CodedSpan], sentences: Sequence[Span], threshold: float = 0.5
) -> list[set[Hashable]]:
    """Return the codes of each sentence: those whose spans cover ``threshold`` of it.

    Overlapping spans of one code are merged first, so double coding of the same
    words does not count twice.
    """
    by_code: dict[Hashable, list[Span]] = defaultdict(list)
    for start, end, code in spans:
        if end > start:
            by_code[code].append((start, end))
    labels: list[set[Hashable]] = [set() for _ in sentences]
    for code, code_spans in by_code.items():
        merged = _union(code_spans)
        ends = [end for _, end in merged]
        for index, (start, end) in enumerate(sentences):
            if end <= start:
                continue
            covered = 0
            position = bisect.bisect_right(ends, start)
            while position < len(merged) and merged[position][0] < end:
                span_start, span_end = merged[position]
                covered += min(end, span_end) - max(start, span_start)
                position += 1
            if covered > 0 and covered >= threshold * (end - start):
                labels[index].add(code)
    return labels


def sentence_level_scores(
    predicted: Iterable[CodedSpan],
    gold: Iterable[CodedSpan],
    sentences: Sequence[Span],
    threshold: float = 0.5,
) -> ScoreReport:
    """Score predicted ``(start, end, code)`` spans against gold ones, sentence by sentence."""
    predicted_labels = sentence_labels(predicted, sentences, threshold)
    gold_labels = sentence_labels(gold, sentences, threshold)
    return label_set_scores(predicted_labels, gold_labels)


def _union(spans: list[Span]) -> list[Span]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]
