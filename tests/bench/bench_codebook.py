"""Benchmark of the codebook: prints figures, asserts no timing.

Run: .venv/bin/pytest tests/bench/bench_codebook.py -s
(not collected by the normal suite: the file name does not start with test_).
"""

import time

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from codebook import tree
from codebook.exchange.codebook_csv import write_codebook_csv
from codebook.exchange.importing import apply_import
from codebook.exchange.qdc import read_qdc, write_qdc
from codebook.history import snapshot_codebook
from codebook.models import Code, Coding
from interviews.models import Interview, Membership, Role, Study

GROUPS, PER_GROUP, PER_CODE = 25, 20, 20  # 525 codes, 10,000 codings


def _timed(label, function):
    start = time.perf_counter()
    result = function()
    print(f"{label:<55} {1000 * (time.perf_counter() - start):8.1f} ms")
    return result


def test_bench_codebook(db):
    user = get_user_model().objects.create_user("bench", password="x")
    study = Study.objects.create(title="Bench", slug="bench")
    Membership.objects.create(study=study, user=user, role=Role.SUPERVISOR)
    interview = Interview.objects.create(study=study, title="I", text="word " * 4000)
    codes = []
    for g in range(GROUPS):
        group = Code.objects.create(study=study, name=f"Group {g}", grouping_only=True, position=g)
        codes += Code.objects.bulk_create(
            Code(study=study, parent=group, name=f"Code {g}.{c}", position=c, definition="d " * 40)
            for c in range(PER_GROUP)
        )
    Coding.objects.bulk_create(
        Coding(interview=interview, code=code, coder=user, start=i * 5, end=i * 5 + 4, quote="word")
        for code in codes
        for i in range(PER_CODE)
    )
    print(f"\n{len(codes) + GROUPS} codes, {len(codes) * PER_CODE} codings")
    client = Client()
    client.force_login(user)
    _timed(
        "codebook page (tree with counts)", lambda: client.get(reverse("codebook", args=["bench"]))
    )
    _timed("printable codebook page", lambda: client.get(reverse("codebook-print", args=["bench"])))
    snapshot = _timed("snapshot of the codebook", lambda: snapshot_codebook(study))
    _timed("write CSV", lambda: write_codebook_csv(snapshot))
    qdc = _timed("write .qdc", lambda: write_qdc(snapshot))
    entries, _ = _timed("read .qdc", lambda: read_qdc(qdc))
    empty = Study.objects.create(title="Empty", slug="empty")
    _timed("import .qdc into an empty study", lambda: apply_import(empty, user, entries, "bench"))
    _timed(
        f"merge a code with {PER_CODE} codings", lambda: tree.merge_codes(codes[0], codes[1], user)
    )
    _timed(
        "move a group of 20 codes", lambda: tree.move_code(codes[40].parent, user, codes[60].parent)
    )
