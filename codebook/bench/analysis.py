"""Benchmark finding and comparing on a large study: retrieval, matrices, phrase search.

    python tests/bench/bench_analysis.py            (standalone)
    python -m codebook.bench.analysis --drop        (the same, then delete the study)

It fills a throw-away study ``bench-analysis`` (30 interviews, 1.5 million
words, 30,000 codings by 3 coders; reused if present) in the configured
database, then requests each page through Django's test client as its owner
and prints the time of the first request, the best of the next five, and
the number of SQL queries. Point DATABASE_URL at a scratch database.
"""

import argparse
import os
import random
import sys
import time

HELP = "Time retrieval, matrices, co-occurrence and phrase search on 1.5 M words."

SLUG = "bench-analysis"
INTERVIEWS = 30
WORDS_PER_INTERVIEW = 50_000
WORDS_PER_TURN = 200
CODINGS = 30_000
CODERS = 3
PHRASE = "frontline staff budget"
VOCABULARY = [
    "we",
    "the",
    "citizens",
    "asked",
    "council",
    "service",
    "care",
    "staff",
    "budget",
    "frontline",
    "manager",
    "role",
    "work",
    "together",
    "design",
    "change",
    "time",
    "people",
    "team",
    "decision",
    "meeting",
    "new",
    "old",
    "because",
    "really",
    "think",
    "know",
    "said",
    "would",
    "could",
    "project",
    "municipality",
    "residents",
    "voice",
    "trust",
    "power",
    "risk",
    "money",
    "plan",
    "listen",
    "learn",
    "open",
    "door",
    "partner",
    "network",
    "local",
    "public",
    "value",
    "outcome",
    "evidence",
    "report",
]


def _transcript(rng: random.Random) -> str:
    turns = []
    for number in range(WORDS_PER_INTERVIEW // WORDS_PER_TURN):
        words = [rng.choice(VOCABULARY) for _ in range(WORDS_PER_TURN)]
        if number % 25 == 3:
            words[10:13] = PHRASE.split()
        words[0] = words[0].capitalize()
        speaker = "Interviewer" if number % 2 == 0 else "Manager"
        turns.append(f"{speaker}: " + " ".join(words) + ".")
    return "\n\n".join(turns)


def _fill() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from codebook.models import Code, Coding
    from interviews.models import (
        Interview,
        Membership,
        Participant,
        ParticipantAttribute,
        Study,
        Turn,
    )

    if Study.objects.filter(slug=SLUG).exists():
        return
    started = time.perf_counter()
    rng = random.Random(9)
    User = get_user_model()
    with transaction.atomic():
        study = Study.objects.create(title="Benchmark: find and compare", slug=SLUG)
        owner, _ = User.objects.get_or_create(username="bench-analysis-owner")
        Membership.objects.create(study=study, user=owner, role="owner")
        coders = []
        for number in range(CODERS):
            coder, _ = User.objects.get_or_create(username=f"bench-analysis-coder-{number}")
            Membership.objects.create(study=study, user=coder, role="coder")
            coders.append(coder)
        parents = [
            Code.objects.create(study=study, name=f"Theme {n}", grouping_only=True)
            for n in range(3)
        ]
        codes = [
            Code.objects.create(study=study, parent=parents[n % 3], name=f"Code {n}")
            for n in range(15)
        ]
        turn_spans = {}
        for number in range(INTERVIEWS):
            participant = Participant.objects.create(study=study, label=f"Manager {number}")
            ParticipantAttribute.objects.create(
                participant=participant,
                name="sector",
                value=("Care", "Housing", "Schools")[number % 3],
            )
            interview = Interview.objects.create(
                study=study, participant=participant, title=f"Interview {number:02d}",
                text=_transcript(rng), position=number,
            )  # fmt: skip
            spans, position = [], 0
            for paragraph in interview.text.split("\n\n"):
                label = paragraph.index(": ") + 2
                spans.append((position + label, position + len(paragraph), paragraph[: label - 2]))
                position += len(paragraph) + 2
            Turn.objects.bulk_create(
                Turn(interview=interview, speaker=speaker, start=start, end=end)
                for start, end, speaker in spans
            )
            turn_spans[interview.pk] = (interview, spans)
    batch = []
    seen = set()
    interviews = list(turn_spans.values())
    while len(seen) < CODINGS:
        interview, spans = interviews[len(seen) % INTERVIEWS]
        start, end, _ = rng.choice(spans)
        first = rng.randrange(start, end - 300)
        first = interview.text.rindex(" ", start - 1, first + 1) + 1 if first > start else start
        last = interview.text.index(" ", first + rng.randrange(40, 280))
        key = (interview.pk, rng.choice(codes), rng.choice(coders), first, last)
        if key[1:] in seen or (key[0],) + key[1:] in seen:
            continue
        seen.add(key)
        batch.append(
            Coding(interview=interview, code=key[1], coder=key[2], start=first, end=last,
                   quote=interview.text[first:last])
        )  # fmt: skip
    Coding.objects.bulk_create(batch, batch_size=2_000)
    print(f"filled {SLUG}: {CODINGS} codings in {time.perf_counter() - started:.1f} s", flush=True)


def _measure(client, label: str, url: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(6):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            if response.streaming:
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    print(
        f"{label:<44} first {1000 * times[0]:6.0f} ms, "
        f"best of 5 after {1000 * min(times[1:]):6.0f} ms, {len(queries)} queries",
        flush=True,
    )


def run(argv: list[str]) -> None:
    """Fill (or reuse) the benchmark study and print how long each page takes."""
    parser = argparse.ArgumentParser(prog="bench analysis")
    parser.add_argument("--drop", action="store_true", help="delete the benchmark study after")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coprod.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from codebook.models import Code, Coding
    from interviews.models import Study

    call_command("migrate", verbosity=0)
    _fill()
    study = Study.objects.get(slug=SLUG)
    code = Code.objects.get(study=study, name="Code 4")
    other = Code.objects.get(study=study, name="Code 7")
    words = sum(len(text.split()) for text in study.interviews.values_list("text", flat=True))
    codings = Coding.objects.filter(interview__study=study).count()
    print(f"{connection.vendor}: {study.interviews.count()} interviews, {words:,} words, "
          f"{codings:,} codings, {CODERS} coders")  # fmt: skip
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-analysis-owner"))
    segments = reverse("retrieval", args=[SLUG])
    _measure(client, "retrieval: one code, first page", f"{segments}?code={code.pk}")
    _measure(
        client,
        "retrieval: code AND code overlapping",
        f"{segments}?code={code.pk}&with_code={other.pk}",
    )  # noqa: E501
    _measure(
        client,
        "code × interview matrix (with word shares)",
        reverse("analysis-matrix", args=[SLUG]),
    )  # noqa: E501
    _measure(
        client,
        "co-occurrence table (overlap) + heat map",
        reverse("analysis-cooccurrence", args=[SLUG]),
    )  # noqa: E501
    _measure(
        client,
        "co-occurrence table (same turn)",
        reverse("analysis-cooccurrence", args=[SLUG]) + "?proximity=turn",
    )  # noqa: E501
    _measure(
        client,
        f"phrase search “{PHRASE}”",
        reverse("search", args=[SLUG]) + "?q=" + PHRASE.replace(" ", "+"),
    )  # noqa: E501
    if options.drop:
        Coding.objects.filter(interview__study=study).delete()
        Code.objects.filter(study=study, parent__isnull=False).delete()
        study.interviews.all().delete()
        study.participants.all().delete()
        study.delete()


if __name__ == "__main__":
    run(sys.argv[1:])
