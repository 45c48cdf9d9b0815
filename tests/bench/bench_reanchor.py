"""Time re-anchoring 2,000 codings after 50 scattered edits in a 50,000-word text.

Run from the repository root: ``python tests/bench/bench_reanchor.py``. Prints
seconds; asserts nothing about time (see STYLE.md: benchmarks print, tests don't).
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from interviews.anchoring import reanchor

WORDS = 50_000
EDITS = 50
SPANS = 2_000
# fmt: off
VOCABULARY = [
    "the", "and", "we", "it", "was", "a", "to", "of", "in", "that", "I", "you",
    "so", "they", "my", "Leeds", "river", "café", "naïve", "school", "work",
    "mother", "family", "money", "time", "really", "think", "know", "because",
    "then", "🌞",
]
# fmt: on


def make_paragraphs(rng: random.Random) -> list[list[str]]:
    words = []
    for _ in range(WORDS):
        word = rng.choice(VOCABULARY)
        if rng.random() < 0.08:
            word += "."
        words.append(word)
    return [words[start : start + 120] for start in range(0, WORDS, 120)]


def as_transcript(paragraphs: list[list[str]], shape: str) -> str:
    if shape == "one line":
        return " ".join(word for paragraph in paragraphs for word in paragraph)
    if shape == "rewrapped":
        # Paragraph breaks fall elsewhere: nearly every line differs.
        words = [word for paragraph in paragraphs for word in paragraph]
        paragraphs = [words[start : start + 100] for start in range(0, len(words), 100)]
    labels = ("Interviewer", "P1")
    lines = [
        f"{labels[number % 2]}: " + " ".join(paragraph)
        for number, paragraph in enumerate(paragraphs)
    ]
    return "\n\n".join(lines) + "\n"


def edit(paragraphs: list[list[str]], rng: random.Random) -> list[list[str]]:
    edited = [list(paragraph) for paragraph in paragraphs]
    places = [(p, w) for p, paragraph in enumerate(edited) for w in range(len(paragraph) - 3)]
    for number, position in sorted(rng.sample(places, EDITS), reverse=True):
        paragraph = edited[number]
        kind = rng.choice(["insert", "delete", "replace"])
        if kind == "insert":
            paragraph[position:position] = ["[inaudible]", "crosstalk"]
        elif kind == "delete":
            del paragraph[position : position + 3]
        else:
            paragraph[position] = "Bradford"
    return edited


def spans_in(text: str, rng: random.Random) -> list[tuple[int, int]]:
    spans = []
    for _ in range(SPANS):
        start = rng.randrange(len(text) - 400)
        spans.append((start, start + rng.randrange(20, 400)))
    return spans


def main() -> None:
    rng = random.Random(2024)
    paragraphs = make_paragraphs(rng)
    edited = edit(paragraphs, rng)
    for shape in ("paragraphs", "one line", "rewrapped"):
        old = as_transcript(paragraphs, "paragraphs" if shape == "rewrapped" else shape)
        new = as_transcript(edited, shape)
        spans = spans_in(old, rng)
        began = time.perf_counter()
        results = reanchor(old, new, spans)
        seconds = time.perf_counter() - began
        counts = {s: sum(r.status == s for r in results) for s in ("moved", "changed", "lost")}
        print(
            f"{shape:>10}: {len(old):,} chars, {EDITS} edits, {SPANS:,} spans: "
            f"{seconds:.3f} s  {counts}"
        )


if __name__ == "__main__":
    main()
