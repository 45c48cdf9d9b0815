"""Benchmark the coded-segment CSV export: rows per second and the exporting process's peak memory.

    python manage.py bench export_codings --rows 100000      (once registered in the dispatcher)
    python tests/bench/bench_export.py --rows 100000          (standalone)
    python manage.py bench export_codings --rows 100000 --qdpx   (the REFI-QDA project instead)

It fills a throw-away study ``bench-export-<rows>`` in the configured database
(reused if present; ``--drop`` deletes it afterwards), then exports it in a
fresh process so that the peak memory printed is the export's own, not the
filling's. Point DATABASE_URL at a scratch database: a million codings is big.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HELP = "Export N generated codings as CSV in a fresh process: rows/s and peak memory."

TEXT_LENGTH = 12_000
INTERVIEWS = 20
CODES = 10
CODERS = 3
BATCH = 5_000


def _fill(slug: str, rows: int) -> None:
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

    if Study.objects.filter(slug=slug).exists():
        return
    started = time.perf_counter()
    User = get_user_model()
    with transaction.atomic():
        study = Study.objects.create(title=f"Benchmark, {rows} codings", slug=slug)
        coders = []
        for number in range(CODERS):
            coder, _ = User.objects.get_or_create(username=f"bench-coder-{number}")
            Membership.objects.create(study=study, user=coder, role="coder")
            coders.append(coder)
        sentence = "Wir haben die Bürger gefragt – “co-production” 🙂 works, she said. "
        text = (sentence * (TEXT_LENGTH // len(sentence) + 1))[:TEXT_LENGTH]
        interviews = []
        for number in range(INTERVIEWS):
            participant = Participant.objects.create(study=study, label=f"Person {number}")
            ParticipantAttribute.objects.create(
                participant=participant, name="sector", value="Care"
            )
            interview = Interview.objects.create(
                study=study, participant=participant, title=f"Interview {number}", text=text
            )
            Turn.objects.bulk_create(
                Turn(interview=interview, speaker=f"S{t % 2}", start=t * 300, end=t * 300 + 299,
                     timestamp=t * 30)
                for t in range(TEXT_LENGTH // 300)
            )  # fmt: skip
            interviews.append(interview)
        parent = Code.objects.create(study=study, name="Themes", grouping_only=True)
        codes = [
            Code.objects.create(study=study, parent=parent, name=f"Theme {n}") for n in range(CODES)
        ]
    per_start = INTERVIEWS * CODES * CODERS
    if rows > per_start * (TEXT_LENGTH - 60):
        raise SystemExit(f"at most {per_start * (TEXT_LENGTH - 60)} rows")
    batch = []
    for k in range(rows):
        interview = interviews[k % INTERVIEWS]
        code = codes[(k // INTERVIEWS) % CODES]
        coder = coders[(k // (INTERVIEWS * CODES)) % CODERS]
        start = k // per_start
        end = start + 20 + k % 37
        batch.append(
            Coding(interview=interview, code=code, coder=coder, start=start, end=end,
                   quote=text[start:end], memo="=1+1" if k % 11 == 0 else "")
        )  # fmt: skip
        if len(batch) == BATCH:
            Coding.objects.bulk_create(batch)
            batch = []
    Coding.objects.bulk_create(batch)
    print(f"filled {slug}: {rows} codings in {time.perf_counter() - started:.1f} s", flush=True)


def _peak_memory_mb() -> float:
    """Return this process's peak resident memory.

    Linux keeps ``ru_maxrss`` across exec, so a child started by a big parent
    would report the parent's size; the high-water mark in /proc is the
    process's own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _measure(slug: str, excel: bool, qdpx: bool = False) -> dict:
    from codebook.exchange.coding_rows import attribute_names, coding_rows
    from codebook.exchange.codings_csv import stream_codings_csv
    from codebook.exchange.qdpx_study import write_study_qdpx
    from codebook.selection import filter_codings
    from interviews.models import Role, Study

    study = Study.objects.get(slug=slug)
    started, cpu_started = time.perf_counter(), time.process_time()
    codings = filter_codings(study, None, Role.OWNER)
    if qdpx:
        rows = codings.count() + 1
        # A temporary file, as the download's spooled file is once it outgrows memory.
        with tempfile.TemporaryFile() as archive:
            write_study_qdpx(study, archive)
            size = archive.tell()
    else:
        names = attribute_names(study)
        size = 0
        rows = 0
        chunks = coding_rows(study, codings, names, excel=excel)
        for chunk in stream_codings_csv(chunks, names, excel=excel):
            size += len(chunk.encode("utf-8"))  # what the streaming response sends
            rows += chunk.count("\r\n")
    elapsed = time.perf_counter() - started
    return {
        "rows": rows - 1,
        "seconds": round(elapsed, 2),
        # every thread of this process (the reader thread too); not the database server's
        "cpu_seconds": round(time.process_time() - cpu_started, 2),
        "rows_per_second": round((rows - 1) / elapsed),
        "megabytes": round(size / 1e6, 1),
        "peak_rss_mb": _peak_memory_mb(),
    }


def _setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coprod.settings")
    django.setup()


def run(argv: list[str]) -> None:
    """Fill (or reuse) a benchmark study, export it in a fresh process, print the figures."""
    parser = argparse.ArgumentParser(prog="bench export_codings")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--excel", action="store_true")
    parser.add_argument("--qdpx", action="store_true", help="write the .qdpx project instead")
    parser.add_argument("--drop", action="store_true", help="delete the benchmark study after")
    parser.add_argument("--measure-only", metavar="SLUG", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    _setup_django()
    if options.measure_only:
        print(json.dumps(_measure(options.measure_only, options.excel, options.qdpx)))
        return
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    slug = f"bench-export-{options.rows}"
    _fill(slug, options.rows)
    if connection.vendor == "sqlite":
        # Fold the filling's write-ahead log into the file first, or the
        # export reads (and maps) it and its memory figure is the filling's.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    command = [sys.executable, "-m", "codebook.bench.export", "--measure-only", slug]
    if options.excel:
        command.append("--excel")
    if options.qdpx:
        command.append("--qdpx")
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    what = "export_qdpx" if options.qdpx else "export_codings"
    print(
        f"{what} on {connection.vendor}: {figures['rows']} rows in "
        f"{figures['seconds']} s wall ({figures['cpu_seconds']} s CPU in the exporting process) "
        f"= {figures['rows_per_second']} rows/s, "
        f"{figures['megabytes']} MB of {'.qdpx' if options.qdpx else 'CSV'}, "
        "peak memory of the exporting process "
        f"{figures['peak_rss_mb']} MB"
    )
    if options.drop:
        from interviews.models import Study

        # The database deletes the study's rows (its foreign keys cascade): one statement.
        started, cpu_started = time.perf_counter(), time.process_time()
        Study.objects.get(slug=slug).delete()
        print(
            f"deleted the benchmark study in {time.perf_counter() - started:.1f} s wall "
            f"({time.process_time() - cpu_started:.1f} s CPU in this process)"
        )


if __name__ == "__main__":
    run(sys.argv[1:])
