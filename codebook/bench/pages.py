"""Time every page of a large study as its owner, a supervisor and a coder.

    python manage.py bench pages [--fill-only] [--replace] [--repeat N] [--only TEXT]
                                 [--json FILE] [--compare FILE]

Fills (or reuses) the study of ``codebook/bench/large_study.py`` in the configured
database, walks the URL configuration as ``tests/test_login_required.py`` does,
fills each route with real ids (every page of the study, its htmx partials and
downloads, every agreement unit), requests it through Django's test client and
prints the first request's time, the best of the next ``--repeat``, the number of
SQL queries and the size of the answer, slowest first. A few writes a coder makes
all day (coding a passage, undo, a memo, settling) are timed too, each rolled back.
A route the table does not know is listed as not measured, so new pages show up.
"""

import json
import re
import time
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from codebook.bench import large_study
from codebook.models import (
    AnchorStatus,
    Code,
    CodebookVersion,
    Coding,
    Origin,
    Suggestion,
    SuggestionRun,
)
from interviews.models import Interview, Membership

HELP = "Fill a study as large as a research team's and time every page on it."

# Routes that only change data (POST): some are timed as writes below.
WRITES = {
    "logout", "coding-add", "coding-new-code", "coding-change", "coding-delete", "coding-undo",
    "coding-redo", "workbench-code-add", "suggestion-run-start", "suggestion-accept-all",
    "suggestion-accept", "suggestion-reject", "codebook-add", "codebook-open-coding",
    "codebook-move", "codebook-reorder", "study-member-role", "review-anchor", "search-autocode",
    "pending-import",
}  # fmt: skip


class _Rollback(Exception):
    pass


def add_arguments(parser) -> None:
    parser.add_argument("--fill-only", action="store_true", help="make the study and stop")
    parser.add_argument("--replace", action="store_true", help="make the study anew")
    parser.add_argument("--repeat", type=int, default=2, help="requests after the first")
    parser.add_argument("--only", default="", help="measure pages whose label has this text")
    parser.add_argument("--skip", default="", help="leave out pages whose label has this text")
    parser.add_argument("--roles", default="owner,supervisor,coder")
    parser.add_argument("--json", dest="save", default="", help="save the figures to this file")
    parser.add_argument("--compare", default="", help="print beside the figures in this file")
    parser.add_argument("--no-writes", action="store_true")


def _routes():
    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                yield entry.name

    return set(walk(get_resolver().url_patterns))


class _Ids:
    """The real rows each route is filled with: the largest interview, a busy code..."""

    def __init__(self, study, coder):
        self.study = study
        self.slug = study.slug
        interviews = Interview.objects.filter(study=study).order_by("-text_length")
        self.interview = interviews.only("pk", "revision").first()
        codings = Coding.objects.filter(interview__study=study)
        busiest = codings.values("code").annotate(n=Count("pk")).order_by("-n")[0]["code"]
        self.leaf = Code.objects.get(pk=busiest)
        self.other = Code.objects.filter(study=study, parent=self.leaf.parent).exclude(
            pk=self.leaf.pk
        )[0]
        self.top = Code.objects.filter(study=study, parent=None).first()
        self.coding = codings.filter(interview=self.interview, coder=coder).first()
        self.to_review = codings.filter(coder=coder, anchor_status=AnchorStatus.CHANGED).first()
        self.suggestion = (
            Suggestion.objects.filter(interview=self.interview, coder=coder, status="open").first()
            or Suggestion.objects.filter(coder=coder, status="open").first()
        )
        self.run = SuggestionRun.objects.filter(study=study, coder=coder).first()
        self.version = CodebookVersion.objects.filter(study=study).order_by("created").first()
        self.member = Membership.objects.filter(study=study, user=coder).first()
        self.coder = coder


def _u(name, *args, **query) -> str:
    url = reverse(name, args=args)
    return url + ("?" + urlencode(query, doseq=True) if query else "")


def _pages(ids: _Ids, role: str, coder_ids: list[int]) -> list[tuple[str, str, str, dict]]:
    """(route name, label, url, headers) of every page to time for this role."""
    s, iv = ids.slug, ids.interview.pk
    htmx = {"HTTP_HX_REQUEST": "true"}
    every = [f"c{pk}" for pk in coder_ids] + ["consensus"]
    pages = [
        ("study-list", "studies", _u("study-list"), {}),
        ("study-detail", "study page", _u("study-detail", s), {}),
        ("participants", "participants", _u("participants", s), {}),
        ("workbench", "workbench, largest interview", _u("workbench", s, iv), {}),
        ("workbench", "workbench, every layer", _u("workbench", s, iv, layer=every), {}),
        ("workbench", "workbench list, page 3", _u("workbench", s, iv, list=1, page=3), {}),
        ("workbench", "workbench ?part=sidebar", _u("workbench", s, iv, part="sidebar"), htmx),
        ("workbench", "workbench ?part=coding-list",
         _u("workbench", s, iv, part="coding-list", layer=every), htmx),
        ("workbench", "workbench ?part=suggestions", _u("workbench", s, iv, part="suggestions"),
         htmx),
        ("codebook", "codebook", _u("codebook", s), {}),
        ("codebook-code", "code page (busiest code)", _u("codebook-code", s, ids.leaf.pk), {}),
        ("codebook-code", "code page (top group)", _u("codebook-code", s, ids.top.pk), {}),
        ("codebook-history", "codebook history", _u("codebook-history", s), {}),
        ("codebook-history", "codebook history, page 10", _u("codebook-history", s, page=10), {}),
        ("codebook-versions", "codebook versions", _u("codebook-versions", s), {}),
        ("codebook-compare", "compare version with now",
         _u("codebook-compare", s, older=ids.version.pk, newer="current"), {}),
        ("codebook-export-csv", "codebook.csv", _u("codebook-export-csv", s), {}),
        ("codebook-export-qdc", "codebook.qdc", _u("codebook-export-qdc", s), {}),
        ("codebook-import", "codebook import form", _u("codebook-import", s), {}),
        ("codebook-print", "printable codebook", _u("codebook-print", s), {}),
        ("codebook-markdown", "codebook.md", _u("codebook-markdown", s), {}),
        ("codebook-merge", "merge form", _u("codebook-merge", s, ids.leaf.pk), {}),
        ("codebook-merge", "merge preview",
         _u("codebook-merge", s, ids.leaf.pk, target=ids.other.pk), {}),
        ("codebook-split", "split form", _u("codebook-split", s, ids.leaf.pk), {}),
        ("codebook-delete", "delete form", _u("codebook-delete", s, ids.leaf.pk), {}),
        ("export", "export page", _u("export", s), {}),
        ("export-codings", "codings.csv (whole study)", _u("export-codings", s), {}),
        ("export-matrix", "matrix.csv", _u("export-matrix", s), {}),
        ("export-qdpx", "project.qdpx", _u("export-qdpx", s), {}),
        ("export-backup", "backup.json", _u("export-backup", s), {}),
        ("review-anchors", "review anchors", _u("review-anchors", s), {}),
        ("retrieval", "segments, no filter", _u("retrieval", s), {}),
        ("retrieval", "segments, one code", _u("retrieval", s, code=ids.leaf.pk), {}),
        ("retrieval", "segments, top group (sub-codes)", _u("retrieval", s, code=ids.top.pk),
         {}),
        ("retrieval", "segments, code AND code",
         _u("retrieval", s, code=ids.leaf.pk, with_code=ids.other.pk), {}),
        ("retrieval", "segments, code NOT code (turn)",
         _u("retrieval", s, code=ids.leaf.pk, without_code=ids.other.pk, proximity="turn"), {}),
        ("retrieval", "segments, attribute + text",
         _u("retrieval", s, attribute="sector=Schools", text="budget"), {}),
        ("retrieval", "segments, page 20 (htmx)", _u("retrieval", s, page=20), htmx),
        ("analysis-matrix", "code × interview matrix", _u("analysis-matrix", s), {}),
        ("analysis-matrix", "code × sector matrix", _u("analysis-matrix", s, by="sector"), {}),
        ("analysis-matrix", "matrix csv", _u("analysis-matrix", s, format="csv"), {}),
        ("analysis-cooccurrence", "co-occurrence", _u("analysis-cooccurrence", s), {}),
        ("analysis-cooccurrence", "co-occurrence, same turn",
         _u("analysis-cooccurrence", s, proximity="turn"), {}),
        ("analysis-cooccurrence", "co-occurrence csv",
         _u("analysis-cooccurrence", s, format="csv"), {}),
        ("search", "search form", _u("search", s), {}),
        ("search", "search “budget”", _u("search", s, q="budget"), {}),
        ("search", "search “trust the”", _u("search", s, q="trust the"), {}),
        ("search", "search lemma “meeting”", _u("search", s, q="meeting", lemma="on"), {}),
        ("analysis-words", "words of busiest code", _u("analysis-words", s, code=ids.leaf.pk),
         {}),
        ("report", "methods report", _u("report", s), {}),
        ("report-markdown", "report.md", _u("report-markdown", s), {}),
        ("interview-revisions", "revisions list", _u("interview-revisions", s, iv), {}),
        ("interview-revision", "revision diff", _u("interview-revision", s, iv, 2), {}),
    ]  # fmt: skip
    if ids.coding:
        panel = _u("workbench", s, iv, part="coding-panel", coding=ids.coding.pk)
        pages.append(("workbench", "workbench ?part=coding-panel", panel, htmx))
    if ids.suggestion:
        pages.append(("workbench", "workbench of a suggestion's interview",
                      _u("workbench", s, ids.suggestion.interview_id), {}))  # fmt: skip
    if ids.run:
        pages.append(("suggestion-run", "suggestion run", _u("suggestion-run", s, ids.run.pk), {}))
    if ids.to_review:
        pages.append(("review-anchor-choose", "choose a new passage",
                      _u("review-anchor-choose", s, ids.to_review.pk), {}))  # fmt: skip
    if role in ("owner", "supervisor"):
        pages += [
            ("import-interviews", "import page", _u("import-interviews", s), {}),
            ("correct-transcript", "correct transcript", _u("correct-transcript", s, iv), {}),
            ("suggestion-quality", "suggestion quality", _u("suggestion-quality", s), {}),
        ]
        pages += _agreement_pages(s, coder_ids)
    if role == "owner":
        pages += [
            ("study-settings", "settings", _u("study-settings", s), {}),
            ("study-members", "members", _u("study-members", s), {}),
            ("study-member-remove", "remove member (asks)",
             _u("study-member-remove", s, ids.member.pk), {}),
            ("import-qdpx", "import .qdpx form", _u("import-qdpx"), {}),
            ("import-backup", "import backup form", _u("import-backup"), {}),
        ]  # fmt: skip
    return pages


def _agreement_pages(s: str, coder_ids: list[int]) -> list:
    pages = [("agreement", "agreement, empty form", _u("agreement", s), {})]
    everyone = [*coder_ids, "consensus"]
    for unit in ("sentence", "turn", "character", "segment"):
        two = {"coders": coder_ids[:2], "unit": unit}
        pages += [
            ("agreement", f"agreement {unit}, 2 coders", _u("agreement", s, **two), {}),
            ("agreement", f"agreement {unit}, 6 coders + consensus",
             _u("agreement", s, coders=everyone, unit=unit), {"HTTP_HX_REQUEST": "true"}),
            ("agreement-table-csv", f"agreement table.csv {unit}",
             _u("agreement-table-csv", s, **two), {}),
            ("agreement-units-csv", f"agreement units.csv {unit}",
             _u("agreement-units-csv", s, **two), {}),
            ("agreement-disagreements", f"disagreements {unit}",
             _u("agreement-disagreements", s, **two), {}),
        ]  # fmt: skip
    return pages


def _measure(client: Client, url: str, headers: dict, repeat: int) -> dict:
    times = []
    for _ in range(1 + repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, **headers)
            size = (
                sum(len(chunk) for chunk in response.streaming_content)
                if response.streaming
                else len(response.content)
            )
            times.append(time.perf_counter() - started)
    return {
        "status": response.status_code,
        "first": times[0],
        "best": min(times[1:]) if repeat else times[0],
        "queries": len(queries),
        "bytes": size,
        "content": b"" if response.streaming else response.content,
    }


def _disagreement_url(content: bytes) -> str | None:
    match = re.search(rb'href="(/s/[^"]+/agreement/disagreements/\d+/\?[^"]+)"', content)
    return match.group(1).decode().replace("&amp;", "&") if match else None


def _writes(client: Client, ids: _Ids, role: str) -> list[tuple[str, str, str, dict]]:
    """(label, url, POST data, headers) of writes a coder makes all day on the largest interview."""
    s, iv = ids.slug, ids.interview.pk
    text = Interview.objects.filter(pk=iv).values_list("text", flat=True).get()
    start = text.index("budget", len(text) // 2)
    htmx = {"HTTP_HX_REQUEST": "true"}
    base = {"revision": str(ids.interview.revision)}
    writes = [
        ("code a passage", _u("coding-add", s, iv),
         {**base, "code": ids.leaf.pk, "start": start, "end": start + 6}, htmx),
        ("undo", _u("coding-undo", s, iv), base, htmx),
        ("redo", _u("coding-redo", s, iv), base, htmx),
        ("reorder a code", _u("codebook-reorder", s, ids.leaf.pk), {"direction": "up"}, htmx),
    ]  # fmt: skip
    if ids.coding:
        writes += [
            ("change a coding's memo", _u("coding-change", s, iv, ids.coding.pk),
             {**base, "memo": "a note"}, htmx),
            ("delete a coding", _u("coding-delete", s, iv, ids.coding.pk), base, htmx),
        ]  # fmt: skip
    if ids.suggestion and ids.suggestion.interview_id == iv:
        writes.append(("accept a suggestion",
                       _u("suggestion-accept", s, iv, ids.suggestion.pk), base, htmx))  # fmt: skip
    return writes


def _time_write(client: Client, url: str, data: dict, headers: dict) -> dict:
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.post(url, data, **headers)
                elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return {"status": response.status_code, "first": elapsed, "best": elapsed,
            "queries": len(queries), "bytes": len(response.content)}  # fmt: skip


def run(out, *, fill_only, replace, repeat, only, skip, roles, save, compare, no_writes, **_):
    study = large_study.fill(out, replace=replace)
    if fill_only:
        return
    User = get_user_model()
    coder_ids = list(
        Membership.objects.filter(study=study, role="coder")
        .order_by("user__username")
        .values_list("user_id", flat=True)
    )
    users = {
        "owner": User.objects.get(username=large_study.OWNER),
        "supervisor": User.objects.get(username=large_study.SUPERVISOR),
        "coder": User.objects.get(pk=coder_ids[0]),
    }
    before = json.loads(Path(compare).read_text()) if compare else {}
    results, measured = {}, set()
    out.write(f"{connection.vendor}; {_describe(study)}\n")
    for role in roles.split(","):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users[role])
        # The owner and supervisor open the first coder's codings, suggestions and runs.
        ids = _Ids(study, users["coder"])
        pages = _pages(ids, role, coder_ids)
        for name, label, url, headers in pages:
            if (only and only not in label) or (skip and skip in label):
                continue
            measured.add(name)
            figures = _measure(client, url, headers, repeat)
            if name == "agreement-disagreements" and figures["status"] == 200:
                found = _disagreement_url(figures["content"])
                if found:
                    one = label.replace("disagreements", "one disagreement")
                    pages.append(("agreement-disagreement", one, found, {}))
            figures.pop("content")
            results[f"{role}: {label}"] = {"url": url, **figures}
            _line(out, f"{role}: {label}", results, before)
        if not no_writes and not only:
            for label, url, data, headers in _writes(client, ids, role):
                key = f"{role}: POST {label}"
                results[key] = {"url": url, **_time_write(client, url, data, headers)}
                _line(out, key, results, before)
    _summary(out, results, before, _routes() - measured - WRITES if not only else set())
    if save:
        Path(save).write_text(json.dumps(results, indent=1))


def _describe(study) -> str:
    interviews = Interview.objects.filter(study=study)
    codings = Coding.objects.filter(interview__study=study)
    return (
        f"{interviews.count()} interviews, {Code.objects.filter(study=study).count()} codes, "
        f"{codings.count():,} codings ({codings.filter(origin=Origin.CONSENSUS).count():,} "
        f"consensus), {Suggestion.objects.filter(interview__study=study).count():,} suggestions, "
        f"{study.codebook_changes.count():,} codebook changes"
    )


def _line(out, key: str, results: dict, before: dict) -> None:
    now = results[key]
    was = before.get(key)
    then = f"   (was {1000 * was['best']:7.0f} ms, {was['queries']:4d} q)" if was else ""
    out.write(
        f"{key:<62} {now['status']} first {1000 * now['first']:7.0f} ms  best "
        f"{1000 * now['best']:7.0f} ms  {now['queries']:4d} q  {now['bytes'] / 1024:8.0f} KB"
        f"{then}\n"
    )
    out.flush() if hasattr(out, "flush") else None


def _summary(out, results: dict, before: dict, missing: set) -> None:
    out.write("\nSlowest (best of the repeats):\n")
    for key, _ in sorted(results.items(), key=lambda item: -item[1]["best"])[:25]:
        _line(out, key, results, before)
    failed = [key for key, now in results.items() if now["status"] >= 400]
    if failed:
        out.write("\nNot 2xx/3xx: " + ", ".join(failed) + "\n")
    if missing:
        out.write("\nRoutes not measured: " + ", ".join(sorted(missing)) + "\n")
