"""Turn a queryset of codings into coded-segment CSV rows, reading them as a stream.

Everything small (codes, interviews, participants, turns, coders) is loaded
once; the codings themselves are read in chunks (a server-side cursor on
PostgreSQL, by a reader thread that keeps a few chunks ahead), so memory does
not grow with their number. Each coding comes with the CSV text of its own
cells, written by the database (``csv_sql``); the rest of its line is shared
with other codings and written once (``codings_csv``).
"""

from bisect import bisect_right
from collections.abc import Generator, Iterator
from contextlib import nullcontext
from datetime import datetime
from itertools import islice

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count, QuerySet

from codebook.exchange.codings_csv import own_cells_text
from codebook.exchange.csv_sql import own_cells, writes_csv
from codebook.exchange.read_ahead import read_ahead
from codebook.exchange.snapshot import read_snapshot, shared_snapshot
from codebook.models import Code, Coding
from codebook.snapshots import build_paths
from interviews.models import Interview, ParticipantAttribute, Study, Turn

CHUNK_SIZE = 2000
OWN_COLUMNS = ("start", "end", "quote", "memo", "origin", "created", "updated")


def _turn_index(starts: list[int], ends: list[int], offset: int) -> int:
    """Return the index of the turn that holds ``offset`` (turns in start order), or -1."""
    index = bisect_right(starts, offset) - 1
    if index >= 0 and (offset < ends[index] or ends[index] == starts[index]):
        return index
    return -1


def _tuples(values: QuerySet) -> Iterator[tuple]:
    """Return the rows of a ``values_list`` queryset, read ``CHUNK_SIZE`` at a time.

    What ``iterator()`` does (a server-side cursor on PostgreSQL, the field
    converters), without its extra Python generator step for every row.
    """
    chunked = not connections[values.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    return values.query.get_compiler(values.db).results_iter(
        tuple_expected=True, chunked_fetch=chunked, chunk_size=CHUNK_SIZE
    )


def _python_iso(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


def attribute_names(study: Study) -> list[str]:
    """Return the names of the study's participant attributes, sorted."""
    return sorted(
        set(
            ParticipantAttribute.objects.filter(participant__study=study).values_list(
                "name", flat=True
            )
        ),
        key=str.casefold,
    )


def _interview_chunks(
    codings: QuerySet[Coding],
    interview_ids: list[int],
    columns: tuple[str, ...],
    *,
    snapshot: str | None = None,
) -> Generator[tuple[int, list[tuple]]]:
    """Yield ``(interview id, rows)``, up to ``CHUNK_SIZE`` rows at a time, in start order.

    ``snapshot`` (PostgreSQL, from ``read_snapshot``): read in that snapshot, in a
    transaction of this thread's connection. Inside a transaction the server produces
    a cursor's rows fetch by fetch (in index order: no sort), in step with the writing;
    outside one it declares the cursor WITH HOLD and stores the whole result first.
    """
    with shared_snapshot(snapshot, using=codings.db) if snapshot else nullcontext():
        for interview_id in interview_ids:
            rows = _tuples(
                codings.filter(interview_id=interview_id)
                .order_by("start", "end", "pk")
                .values_list(*columns)
            )
            while chunk := list(islice(rows, CHUNK_SIZE)):
                yield interview_id, chunk


def coding_rows(
    study: Study, codings: QuerySet[Coding], names: list[str], *, excel: bool = False
) -> Iterator[tuple[list[tuple], list[str], tuple]]:
    """Yield the CSV rows of ``codings`` in chunks, as ``stream_codings_csv`` takes them.

    Everything is read in one snapshot (``read_snapshot``): a code created and used
    while the file downloads is in neither the codes nor the codings. On PostgreSQL
    a reader thread reads the codings ahead, in the same snapshot.
    """
    with read_snapshot(codings.db) as snapshot:
        yield from _coding_rows(study, codings, names, excel=excel, snapshot=snapshot)


def _coding_rows(
    study: Study,
    codings: QuerySet[Coding],
    names: list[str],
    *,
    excel: bool,
    snapshot: str | None,
) -> Iterator[tuple[list[tuple], list[str], tuple]]:
    """The rows of ``coding_rows``, read in its snapshot.

    A chunk holds codings of one interview: for each, its ``CONTEXT_COLUMNS``
    cells (one tuple shared by the codings of a turn with the same coder and
    code) and the CSV text of its own cells (``start`` to ``updated``, written by
    the database: ``csv_sql``); then the interview's values of the attributes
    ``names``. ``excel`` neutralises formulas in the own cells' text.

    ``codings`` come out in ``filter_codings``'s order (interview position and
    title, then start, end, id), read interview by interview: one sort over the
    whole study was the export's slowest step, a query per interview sorts little
    and its lookups (title, participant, turns) are set up once for all its rows.
    """
    codes = {
        pk: (name, parent_id)
        for pk, name, parent_id in Code.objects.filter(study=study).values_list(
            "pk", "name", "parent_id"
        )
    }
    paths = build_paths(codes)  # the codes just read: no second query
    code_columns = {
        pk: (name, paths[pk], paths[parent_id] if parent_id else "")
        for pk, (name, parent_id) in codes.items()
    }
    attributes: dict[int, dict[str, str]] = {}
    for participant_id, name, value in ParticipantAttribute.objects.filter(
        participant__study=study
    ).values_list("participant_id", "name", "value"):
        attributes.setdefault(participant_id, {})[name] = value
    turns: dict[int, list[tuple[int, int, str, str]]] = {}
    for turn in Turn.objects.filter(interview__study=study).order_by("interview", "start"):
        turns.setdefault(turn.interview_id, []).append(
            (turn.start, turn.end, turn.speaker, turn.timestamp_display)
        )
    coders = dict(
        get_user_model()
        .objects.filter(codings__interview__study=study)
        .distinct()
        .values_list("pk", "username")
    )
    title = study.title
    interviews = {
        interview_id: (
            (title, interview_title, label or ""),
            tuple(attributes.get(participant_id, {}).get(name, "") for name in names),
        )
        for interview_id, interview_title, participant_id, label in Interview.objects.filter(
            study=study
        )
        .order_by("position", "title")
        .values_list("pk", "title", "participant_id", "participant__label")
    }
    vendor = connections[codings.db].vendor
    in_python = not writes_csv(vendor)
    if in_python:
        columns: tuple[str, ...] = (*OWN_COLUMNS, "code_id", "coder_id")
    else:
        codings = codings.annotate(own_cells=own_cells(vendor, excel=excel))
        columns = ("start", "own_cells", "code_id", "coder_id")
    order = list(interviews)
    if snapshot is not None:  # only PostgreSQL shares one: SQLite gains nothing by a thread
        chunks = read_ahead(lambda: _interview_chunks(codings, order, columns, snapshot=snapshot))
    else:
        chunks = _interview_chunks(codings, order, columns)
    current = None
    for interview_id, rows in chunks:
        if interview_id != current:
            current = interview_id
            before, after = interviews[interview_id]
            its_turns = turns.get(interview_id, [])
            starts = [turn[0] for turn in its_turns]
            ends = [turn[1] for turn in its_turns]
            last_start = turn = None
            contexts: dict[tuple[int, int], tuple] = {}
        if in_python:
            rows = [(row[0], _own_cells_in_python(row[:-2], excel), *row[-2:]) for row in rows]
        # Rows come in start order: the turn is looked up when the start changes, and
        # the context cells are built once per turn, coder and code.
        shared = []
        for row in rows:
            start = row[0]
            if start != last_start:
                last_start = start
                index = _turn_index(starts, ends, start)
                if index != turn:
                    turn = index
                    speaker_time = its_turns[index][2:] if index >= 0 else ("", "")
                    contexts = {}
            key = row[2:]
            context = contexts.get(key)
            if context is None:
                code_id, coder_id = key
                context = (*before, *speaker_time, coders[coder_id], *code_columns[code_id])
                contexts[key] = context
            shared.append(context)
        yield shared, [row[1] for row in rows], after


def _own_cells_in_python(values: tuple, excel: bool) -> str:
    """The own cells' text for a database ``csv_sql`` does not write for."""
    *first, created, updated = values
    return own_cells_text((*first, _python_iso(created), _python_iso(updated)), excel=excel)


def matrix_counts(codings: QuerySet[Coding]) -> dict[tuple[int, int], int]:
    """Count codings per (code, interview) in one query."""
    return {
        (row["code_id"], row["interview_id"]): row["n"]
        for row in codings.order_by().values("code_id", "interview_id").annotate(n=Count("pk"))
    }
