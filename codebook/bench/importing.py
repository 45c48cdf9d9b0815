"""Benchmark importing and correcting transcripts through the real code paths and database.

``run(argv)`` prints figures and asserts nothing about time. Everything it
stores is rolled back at the end. Figures:

- import of a 200,000-word transcript as .docx and as .txt: reading, turn
  detection, staging for the preview, and saving as an interview with turns;
- re-anchoring 2,000 codings after 50 scattered edits in a 50,000-word
  transcript, through ``correct_transcript`` (version, turns, signal, updates).
"""

import argparse
import io
import random
import time

import docx
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from codebook.models import Code, Coding
from interviews import imports
from interviews.corrections import correct_transcript
from interviews.importing.turns import detect_turns
from interviews.models import Membership, Role, Study

# fmt: off
HELP = "Import a 200,000-word .docx and .txt; re-anchor 2,000 codings after 50 edits."

VOCABULARY = [
    "the", "and", "we", "it", "was", "a", "to", "of", "in", "that", "I", "you",
    "so", "they", "my", "Leeds", "river", "café", "naïve", "school", "work",
    "mother", "family", "money", "time", "really", "think", "know", "because",
    "then", "🌞",
]
# fmt: on
PARAGRAPH_WORDS = 120


class _Rollback(Exception):
    pass


def make_paragraphs(words: int, rng: random.Random) -> list[str]:
    """Return alternating ``Interviewer:``/``P1:`` paragraphs of about 120 words each."""
    paragraphs = []
    for number in range(0, words, PARAGRAPH_WORDS):
        chosen = []
        for _ in range(min(PARAGRAPH_WORDS, words - number)):
            word = rng.choice(VOCABULARY)
            chosen.append(word + "." if rng.random() < 0.08 else word)
        label = "Interviewer" if (number // PARAGRAPH_WORDS) % 2 == 0 else "P1"
        paragraphs.append(f"{label}: " + " ".join(chosen))
    return paragraphs


def as_docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def scatter_edits(text: str, edits: int, rng: random.Random) -> str:
    """Insert, delete or replace a few words at ``edits`` places spread over the text."""
    places = sorted(rng.sample(range(100, len(text) - 100), edits), reverse=True)
    for place in places:
        place = text.index(" ", place)
        kind = rng.choice(["insert", "delete", "replace"])
        if kind == "insert":
            text = text[:place] + " [inaudible] crosstalk" + text[place:]
        elif kind == "delete":
            end = text.index(" ", text.index(" ", place + 1) + 1)
            text = text[:place] + text[end:]
        else:
            end = text.index(" ", place + 1)
            text = text[:place] + " Bradford" + text[end:]
    return text


def timed(action):
    began = time.perf_counter()
    result = action()
    return result, time.perf_counter() - began


def bench_import(study, user, words: int, rng: random.Random) -> None:
    paragraphs = make_paragraphs(words, rng)
    files = {
        "bench.txt": "\n".join(paragraphs).encode(),
        "bench.docx": as_docx(paragraphs),
    }
    for name, data in files.items():
        pending, staging = timed(lambda: imports.stage_file(study, user, name, data))  # noqa: B023
        interview, saving = timed(
            lambda: imports.save_as_interview(pending, title=name, participant=None)  # noqa: B023
        )
        print(
            f"import {name}: {words:,} words, {len(data) / 1e6:.1f} MB, "
            f"{interview.turns.count():,} turns: read+detect+stage {staging:.2f} s, "
            f"save {saving:.2f} s, total {staging + saving:.2f} s"
        )


def bench_reanchor(study, user, words: int, codings: int, edits: int, rng: random.Random):
    text = "\n\n".join(make_paragraphs(words, rng))
    interview = imports.create_interview(
        study,
        title="re-anchoring",
        participant=None,
        filename="bench.txt",
        text=text,
        turns=detect_turns(text),
    )
    code = Code.objects.create(study=study, name="Bench")
    rows = []
    for _ in range(codings):
        start = rng.randrange(len(text) - 400)
        end = start + rng.randrange(20, 400)
        rows.append(
            Coding(
                interview=interview,
                code=code,
                coder=user,
                start=start,
                end=end,
                quote=text[start:end],
            )
        )
    Coding.objects.bulk_create(rows, ignore_conflicts=True)
    stored = Coding.objects.filter(interview=interview).count()
    new_text = scatter_edits(text, edits, rng)
    counts, seconds = timed(lambda: correct_transcript(interview, new_text, user, 1))
    print(
        f"correct a {words:,}-word transcript ({len(text):,} chars) with {edits} scattered edits, "
        f"re-anchoring {stored:,} codings: {seconds:.2f} s {counts}"
    )


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench import", description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=200_000, help="words in the import test")
    parser.add_argument("--reanchor-words", type=int, default=50_000)
    parser.add_argument("--codings", type=int, default=2_000)
    parser.add_argument("--edits", type=int, default=50)
    options = parser.parse_args(argv)
    rng = random.Random(2026)
    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user("bench-importer")
            study = Study.objects.create(title="Benchmark", slug="bench-import-run")
            Membership.objects.create(study=study, user=user, role=Role.OWNER)
            bench_import(study, user, options.words, rng)
            bench_reanchor(study, user, options.reanchor_words, options.codings, options.edits, rng)
            raise _Rollback
    except _Rollback:
        pass
