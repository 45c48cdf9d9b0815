"""Time the agreement report on a large generated study, and the page on the demo study.

Three coders, 20 codes in 4 groups of 5, ten interviews of 100,000 characters
(one million in all) and 30,000 codings, stored in the database and read back
through ``agreement_report`` at every unit. Everything is generated inside a
transaction that is rolled back, so nothing is kept. Prints, never asserts.
"""

import argparse
import random
import statistics
import sys
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from codebook.models import Code, Coding
from codebook.reliability.report import agreement_report, applicable_codes
from codebook.reliability.sentences import sentence_spans_for
from codebook.reliability.table import DEFAULT_THRESHOLDS, UNIT_KINDS
from codebook.suggesting.pipeline import load_pipeline
from interviews.models import Interview, Membership, Role, Study, Turn

HELP = "Compute every agreement figure at every unit on a large study; time the page."
WORDS = [
    "the",
    "staff",
    "asked",
    "citizens",
    "about",
    "care",
    "budget",
    "targets",
    "and",
    "services",
    "in",
    "our",
    "town",
]


class _Rollback(Exception):
    pass


def add_arguments(parser) -> None:
    parser.add_argument("--characters", type=int, default=1_000_000)
    parser.add_argument("--codings", type=int, default=30_000)
    parser.add_argument("--interviews", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5, help="Page requests to time.")
    parser.add_argument("--seed", type=int, default=42)


def run(stdout=None, **options) -> None:
    """Run from ``manage.py bench agreement`` (stdout, options) or with a list of arguments."""
    if stdout is None or isinstance(stdout, list):
        parser = argparse.ArgumentParser(description=HELP)
        add_arguments(parser)
        options = vars(parser.parse_args(stdout or []))
        stdout = sys.stdout
    try:
        with transaction.atomic():
            _large_study(stdout, **options)
            _demo_page(stdout, options["repeat"])
            raise _Rollback
    except _Rollback:
        pass


def _text(rng: random.Random, length: int) -> str:
    parts, size = [], 0
    while size < length:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 22)))
        sentence = sentence.capitalize() + ". "
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:length]


def _large_study(stdout, characters, codings, interviews, seed, **_) -> None:
    rng = random.Random(seed)
    users = get_user_model()
    study = Study.objects.create(title="Agreement benchmark", slug="bench-agreement")
    coders = [users.objects.create_user(f"bench-agreement-coder-{n}") for n in range(3)]
    for coder in coders:
        Membership.objects.create(study=study, user=coder, role=Role.CODER)
    groups = []
    for g in range(4):
        parent = Code.objects.create(study=study, name=f"Domain {g}", grouping_only=True)
        groups.append(
            [
                Code.objects.create(study=study, parent=parent, name=f"Code {g}.{c}")
                for c in range(5)
            ]
        )
    length = characters // interviews
    rows = []
    per_group_and_coder = codings // len(coders) // len(groups) // interviews
    began = time.perf_counter()
    for number in range(interviews):
        interview = Interview.objects.create(
            study=study, title=f"Interview {number}", text=_text(rng, length)
        )
        turns, cursor = [], 0
        while cursor < length:
            end = min(length, cursor + rng.randint(600, 1400))
            turns.append(Turn(interview=interview, start=cursor, end=end))
            cursor = end
        Turn.objects.bulk_create(turns)
        rows += _codings(rng, interview, coders, groups, per_group_and_coder, length)
    Coding.objects.bulk_create(rows, batch_size=2000)
    stdout.write(
        f"generated {len(rows)} codings, 20 codes, 3 coders, {characters} characters "
        f"in {interviews} interviews ({time.perf_counter() - began:.1f} s)\n"
    )
    chosen = list(study.interviews.all())
    codes = applicable_codes(study)
    began, cpu = time.perf_counter(), time.process_time()
    load_pipeline("en")  # what the first segmentation in a process pays before it starts
    loaded, loaded_cpu = time.perf_counter() - began, time.process_time() - cpu
    spans = sentence_spans_for(chosen)
    stdout.write(
        f"{'sentence segmentation, first time only (spaCy, cached)':<58} "
        f"{(time.perf_counter() - began) * 1000:8.1f} ms  "
        f"(CPU {(time.process_time() - cpu) * 1000:.1f}; "
        f"{sum(len(s) for s in spans.values())} sentences)\n"
        f"{'  of which importing spaCy and loading its pipeline':<58} "
        f"{loaded * 1000:8.1f} ms  (CPU {loaded_cpu * 1000:.1f})\n"
    )
    total = 0.0
    for unit in UNIT_KINDS:
        cache.clear()  # cold: time the bootstrap and the unitizing alphas, not their memos
        total += _timed_report(stdout, study, coders, chosen, codes, unit, "cold")
    stdout.write(f"{'all units, each cold':<58} {total * 1000:8.1f} ms\n")
    cache.clear()
    total = sum(
        _timed_report(stdout, study, coders, chosen, codes, unit, "memos kept")
        for unit in UNIT_KINDS
    )
    stdout.write(f"{'all units one after another, memos kept':<58} {total * 1000:8.1f} ms\n")


def _timed_report(stdout, study, coders, chosen, codes, unit, label) -> float:
    began, cpu = time.perf_counter(), time.process_time()
    report = agreement_report(
        study, [c.pk for c in coders], chosen, codes, unit, DEFAULT_THRESHOLDS[unit]
    )
    spent = time.perf_counter() - began
    cpu = time.process_time() - cpu
    figures = sum(
        1 for row in report.rows for f in row.coefficients().values() if f.value is not None
    )
    stdout.write(
        f"{f'report at {unit} level ({label})':<58} "
        f"{spent * 1000:8.1f} ms  (CPU {cpu * 1000:.1f}; {len(report.rows)} rows, "
        f"{figures} figures)\n"
    )
    return spent


def _codings(rng, interview, coders, groups, count, length) -> list[Coding]:
    """A reference coder and two noisy copies, per group of mutually exclusive codes."""
    rows = []
    text = interview.text
    for group in groups:
        reference, cursor = [], 0
        for _ in range(count):
            start = cursor + rng.randint(20, 120)
            end = min(length, start + rng.randint(40, 200))
            if start >= end:
                break
            reference.append((start, end, rng.choice(group)))
            cursor = end
        for index, coder in enumerate(coders):
            floor = 0
            for start, end, code in reference:
                if index:
                    start = max(floor, start + rng.randint(-15, 15))
                    end = max(start + 1, min(length, end + rng.randint(-15, 15)))
                    if rng.random() < 0.15:
                        code = rng.choice(group)
                if text[start:end].strip():
                    rows.append(
                        Coding(
                            interview=interview,
                            code=code,
                            coder=coder,
                            start=start,
                            end=end,
                            quote=text[start:end],
                        )
                    )
                floor = end
    return rows


def _demo_page(stdout, repeat: int) -> None:
    if not Study.objects.filter(slug="demo").exists():
        call_command("load_demo", verbosity=0)
    study = Study.objects.get(slug="demo")
    supervisor = study.memberships.filter(role=Role.SUPERVISOR).first().user
    client = Client()
    client.force_login(supervisor)
    url = reverse("agreement", args=[study.slug])
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for unit in UNIT_KINDS:
            began = time.perf_counter()
            client.get(f"{url}?unit={unit}")  # fills the sentence and interval caches
            first = time.perf_counter() - began
            times = []
            for _ in range(repeat):
                began = time.perf_counter()
                response = client.get(f"{url}?unit={unit}")
                times.append(time.perf_counter() - began)
                if response.status_code != 200:
                    stdout.write(f"the page answered {response.status_code}\n")
                    return
            stdout.write(
                f"{'demo agreement page, ' + unit + ' (median of ' + str(repeat) + ')':<58} "
                f"{statistics.median(times) * 1000:8.1f} ms  "
                f"(max {max(times) * 1000:.1f}; first request {first * 1000:.1f})\n"
            )
