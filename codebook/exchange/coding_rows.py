"""Turn a queryset of codings into coded-segment CSV rows, reading them as a stream.

Everything small (codes, interviews, participants, turns, coders) is loaded
once; the codings themselves are read with ``iterator()`` (a server-side
cursor on PostgreSQL), so memory does not grow with their number.
"""

from bisect import bisect_right
from collections.abc import Iterator
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models import Count, F, Func, QuerySet, TextField
from django.db.models.functions import Cast

from codebook.models import Code, Coding
from interviews.models import Interview, ParticipantAttribute, Study, Turn

CHUNK_SIZE = 5000


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


_SQLITE_ISO = (
    "CASE WHEN instr({column}, '.') THEN replace({column}, ' ', 'T') || '+00:00' "
    "ELSE replace({column}, ' ', 'T') || '.000000+00:00' END"
)


def _with_iso_times(codings: QuerySet[Coding]):
    """Read ``created``/``updated`` as ISO 8601 text in UTC, microseconds always shown.

    Parsing two datetimes per row, then formatting them again, was most of the
    export's time; the databases hand over the finished text instead. Django
    stores SQLite datetimes as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
    Returns the queryset, the names to read and the function that finishes a
    value (None when the database's text is final).
    """
    if connection.vendor == "sqlite":
        text = {
            name: Func(
                Cast(name, TextField()),
                template=_SQLITE_ISO.format(column="(%(expressions)s)"),
                output_field=TextField(),
            )
            for name in ("created", "updated")
        }
    elif connection.vendor == "postgresql":
        text = {
            name: Func(
                F(name),
                template="to_char(%(expressions)s AT TIME ZONE 'UTC', "
                '\'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"\')',
                output_field=TextField(),
            )
            for name in ("created", "updated")
        }
    else:
        return codings, ("created", "updated"), _python_iso
    annotated = codings.annotate(**{f"{name}_text": value for name, value in text.items()})
    return annotated, ("created_text", "updated_text"), None


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


def code_paths(study: Study) -> dict[int, str]:
    """Return every code's full path by id (one query)."""
    codes = {code.pk: code for code in Code.objects.filter(study=study)}
    return {pk: code.path_in(codes) for pk, code in codes.items()}


def coding_rows(study: Study, codings: QuerySet[Coding], names: list[str]) -> Iterator[tuple]:
    """Yield one CSV row per coding of ``codings``, in ``CODING_COLUMNS`` order plus ``names``.

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
    paths = code_paths(study)
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
    codings, times, when = _with_iso_times(codings)
    interviews = Interview.objects.filter(study=study).order_by("position", "title")
    for interview_id, interview_title, participant_id, label in interviews.values_list(
        "pk", "title", "participant_id", "participant__label"
    ):
        values = attributes.get(participant_id, {})
        after = tuple(values.get(name, "") for name in names)
        before = (title, interview_title, label or "")
        its_turns = turns.get(interview_id, [])
        starts = [turn[0] for turn in its_turns]
        ends = [turn[1] for turn in its_turns]
        rows = _tuples(
            codings.filter(interview_id=interview_id)
            .order_by("start", "end", "pk")
            .values_list("start", "end", "quote", "memo", "origin", *times, "code_id", "coder_id")
        )
        if when is not None:
            rows = ((*row[:5], when(row[5]), when(row[6]), *row[7:]) for row in rows)
        # Rows come in start order: the turn is looked up when the start changes, and
        # the columns before the offsets are built once per turn, coder and code.
        last_start = turn = None
        prefixes: dict[tuple[int, int], tuple] = {}
        for row in rows:
            start = row[0]
            if start != last_start:
                last_start = start
                index = _turn_index(starts, ends, start)
                if index != turn:
                    turn = index
                    speaker_time = its_turns[index][2:] if index >= 0 else ("", "")
                    prefixes = {}
            key = row[7:]
            prefix = prefixes.get(key)
            if prefix is None:
                code_id, coder_id = key
                prefix = (*before, *speaker_time, coders[coder_id], *code_columns[code_id])
                prefixes[key] = prefix
            yield prefix + row[:7] + after


def matrix_counts(codings: QuerySet[Coding]) -> dict[tuple[int, int], int]:
    """Count codings per (code, interview) in one query."""
    return {
        (row["code_id"], row["interview_id"]): row["n"]
        for row in codings.order_by().values("code_id", "interview_id").annotate(n=Count("pk"))
    }
