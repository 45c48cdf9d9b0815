"""Benchmark of the workbench: opening a large coded interview and coding one passage.

Generates a throwaway study (a two-level codebook, one interview of ``--words`` words in
speaker turns, ``--codings`` codings by two coders), measures through Django's test
client in-process, prints the figures, and rolls everything back.
"""

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from codebook.models import Code, Coding
from interviews.models import Interview, Membership, Role, Study, Turn

HELP = "Open a generated interview with many codings, and code one passage."

WORDS = [
    "the",
    "we",
    "our",
    "service",
    "citizens",
    "staff",
    "budget",
    "targets",
    "project",
    "manager",
    "team",
    "change",
    "design",
    "municipality",
    "café",
    "rôle",
    "naïve",
    "trust",
    "care",
    "meeting",
    "residents",
    "partnership",
    "council",
    "budget",
    "learned",
    "decided",
    "asked",
    "together",
    "frontline",
    "leadership",
    "priorities",
    "risk",
    "outcome",
    "users",
    "neighbourhood",
    "volunteers",
    "“shared”",
    "responsibility",
    "co-production",
    "experience",
]

CODEBOOK = {
    "Governance": ["Co-production", "Accountability", "Networks", "Hierarchy"],
    "Leadership": ["Letting go", "Enabling", "Directing", "Role conflict"],
    "Barriers": ["Budget", "Targets", "Time", "Risk aversion"],
    "Citizens": ["Participation", "Trust", "Expertise", "Representation"],
    "Sensemaking": ["Framing", "Doubt", "Learning", "Stories"],
    "Identity work": ["Professional identity", "Public servant", "Manager as host"],
    "Outcomes": ["Service quality", "Legitimacy", "Efficiency"],
    "Context": ["Politics", "Crisis", "History"],
}


class _Rollback(Exception):
    pass


def add_arguments(parser) -> None:
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--codings", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=7, help="Page loads to time.")
    parser.add_argument("--seed", type=int, default=3)


def run(out, words: int, codings: int, repeat: int, seed: int, **_) -> None:
    rng = random.Random(seed)
    try:
        with transaction.atomic():
            figures = _measure(out, rng, words, codings, repeat)
            raise _Rollback
    except _Rollback:
        pass
    _report(out, figures)


def _measure(stdout, rng, words, coding_count, repeat) -> dict:
    started = time.perf_counter()
    study, coders, supervisor, interview, codes = _generate(rng, words, coding_count)
    stdout.write(
        f"Generated {interview.word_count:,} words in {interview.turns.count()} turns, "
        f"{Coding.objects.filter(interview=interview).count():,} codings, {len(codes)} codes "
        f"in {time.perf_counter() - started:.1f} s."
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(supervisor)
    url = interview.get_absolute_url()
    every_layer = {"layer": [f"c{coder.pk}" for coder in coders]}
    client.get(url, every_layer)  # warm the template and connection caches
    page_times, page_cpu = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, every_layer)
            page_times.append(time.perf_counter() - started)
            page_cpu.append(time.process_time() - cpu)
    assert response.status_code == 200, response.status_code

    coder_client = Client(HTTP_HOST="127.0.0.1")
    coder_client.force_login(coders[0])
    coder_times, coder_cpu = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        coder_page = coder_client.get(url)
        coder_times.append(time.perf_counter() - started)
        coder_cpu.append(time.process_time() - cpu)

    add_url = reverse("coding-add", args=[study.slug, interview.pk])
    leaves = [code for code in codes if code.parent_id]
    turns = list(interview.turns.filter(speaker="Participant"))
    create_times, create_cpu = [], []
    create_queries = 0
    for _ in range(max(repeat * 3, 20)):
        start, end = _passage(rng, interview.text, rng.choice(turns))
        data = {"code": rng.choice(leaves).pk, "start": start, "end": end}
        with CaptureQueriesContext(connection) as queries_create:
            started, cpu = time.perf_counter(), time.process_time()
            created = coder_client.post(add_url, data, headers={"HX-Request": "true"})
            create_times.append(time.perf_counter() - started)
            create_cpu.append(time.process_time() - cpu)
        assert created.status_code == 200, created.status_code
        create_queries = max(create_queries, len(queries_create))
    return {
        "words": interview.word_count,
        "codings": coding_count,
        "page_ms": _ms(page_times),
        "page_cpu_ms": _ms(page_cpu),
        "coder_page_cpu_ms": _ms(coder_cpu),
        "create_cpu_ms": _ms(create_cpu),
        "page_bytes": len(response.content),
        "page_queries": len(queries),
        "coder_page_ms": _ms(coder_times),
        "coder_page_bytes": len(coder_page.content),
        "create_ms": _ms(create_times),
        "create_queries": create_queries,
    }


def _ms(times: list[float]) -> tuple[float, float]:
    return statistics.median(times) * 1000, min(times) * 1000


def _report(stdout, f: dict) -> None:
    stdout.write(f"Workbench benchmark: {f['words']:,} words, {f['codings']:,} codings")
    stdout.write("  (wall time, then this process's CPU time: the second suffers less from load)")
    rows = [
        ("page, every coder shown", "page_ms", "page_cpu_ms"),
        ("page, one blind coder", "coder_page_ms", "coder_page_cpu_ms"),
        ("create one coding", "create_ms", "create_cpu_ms"),
    ]
    for label, wall, cpu in rows:
        stdout.write(
            f"  {label + ':':26} median {f[wall][0]:6.1f} ms (best {f[wall][1]:6.1f}), "
            f"CPU median {f[cpu][0]:6.1f} ms (best {f[cpu][1]:6.1f})"
        )
    stdout.write(
        f"  page HTML: {f['page_bytes'] / 1e6:.2f} MB every coder, "
        f"{f['coder_page_bytes'] / 1e6:.2f} MB one coder; queries: page {f['page_queries']}, "
        f"create at most {f['create_queries']}"
    )


def _generate(rng, word_count, coding_count):
    User = get_user_model()
    tag = f"{time.time_ns() % 10**9}"
    study = Study.objects.create(title=f"Benchmark {tag}", slug=f"bench-{tag}")
    coders = [User.objects.create_user(f"bench-coder{n}-{tag}") for n in (1, 2)]
    supervisor = User.objects.create_user(f"bench-supervisor-{tag}")
    for user in coders:
        Membership.objects.create(study=study, user=user, role=Role.CODER)
    Membership.objects.create(study=study, user=supervisor, role=Role.SUPERVISOR)
    codes = []
    for position, (name, children) in enumerate(CODEBOOK.items()):
        parent = Code.objects.create(study=study, name=name, position=position)
        codes.append(parent)
        codes += [Code.objects.create(study=study, parent=parent, name=c) for c in children]
    text, turns = _transcript(rng, word_count)
    interview = Interview.objects.create(study=study, title="Generated interview", text=text)
    Turn.objects.bulk_create(
        Turn(interview=interview, speaker=speaker, start=start, end=end, timestamp=second)
        for speaker, start, end, second in turns
    )
    leaves = [code for code in codes if code.parent_id]
    answer_turns = [turn for turn in turns if turn[0] == "Participant"]
    rows = {}
    while len(rows) < coding_count:
        coder = coders[len(rows) % 2]
        _, turn_start, turn_end, _ = rng.choice(answer_turns)
        start, end = _passage(rng, text, (turn_start, turn_end))
        code = rng.choice(leaves)
        rows[(code.pk, coder.pk, start, end)] = Coding(
            interview=interview,
            code=code,
            coder=coder,
            start=start,
            end=end,
            quote=text[start:end],
        )
    Coding.objects.bulk_create(rows.values(), batch_size=1000)
    return study, coders, supervisor, interview, codes


def _transcript(rng, word_count):
    parts: list[str] = []
    turns = []
    length = 0
    written = 0
    second = 0
    speaker = "Interviewer"
    while written < word_count:
        second += rng.randint(5, 90)
        label = f"[{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}] {speaker}: "
        sentences = []
        for _ in range(rng.randint(1, 2) if speaker == "Interviewer" else rng.randint(3, 9)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 22))]
            written += len(words)
            if rng.random() < 0.02:
                words.append("🙂")
            sentences.append(" ".join(words).capitalize() + rng.choice(".?.!."))
        spoken = " ".join(sentences)
        if parts:
            parts.append("\n\n")
            length += 2
        parts.append(label + spoken)
        turns.append((speaker, length + len(label), length + len(label) + len(spoken), second))
        length += len(label) + len(spoken)
        speaker = "Participant" if speaker == "Interviewer" else "Interviewer"
    return "".join(parts), turns


def _passage(rng, text, turn):
    """Pick a run of whole words inside a turn (``turn`` is a Turn or a (start, end) pair)."""
    start, end = (turn.start, turn.end) if hasattr(turn, "start") else turn
    spaces = [i for i in range(start, end) if text[i] == " "]
    if len(spaces) < 3:
        return start, end
    first = rng.randrange(len(spaces) - 2)
    last = min(len(spaces) - 1, first + rng.randint(2, 40))
    return spaces[first] + 1, spaces[last]
