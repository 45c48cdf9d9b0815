"""Turn a queryset of codings into coded-segment CSV rows, reading them as a stream.

Everything small (codes, interviews, participants, turns, coders) is loaded
once; the codings themselves are read with ``iterator()`` (a server-side
cursor on PostgreSQL), so memory does not grow with their number.
"""

from bisect import bisect_right
from collections.abc import Iterator
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, Func, QuerySet, TextField
from django.db.models.functions import Cast

from codebook.models import Code, Coding
from interviews.models import Interview, ParticipantAttribute, Study, Turn

CHUNK_SIZE = 5000


class _Turns:
    """The turns of one interview, searchable by offset."""

    def __init__(self):
        self.starts: list[int] = []
        self.turns: list[tuple[int, str, str]] = []

    def add(self, start: int, end: int, speaker: str, time: str) -> None:
        self.starts.append(start)
        self.turns.append((end, speaker, time))

    def at(self, offset: int) -> tuple[str, str]:
        index = bisect_right(self.starts, offset) - 1
        if index < 0:
            return "", ""
        end, speaker, time = self.turns[index]
        return (speaker, time) if offset < end or end == self.starts[index] else ("", "")


def _sqlite_iso(stored: str) -> str:
    """Return Django's SQLite datetime text (UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]") as ISO 8601."""
    return stored.replace(" ", "T", 1) + ("+00:00" if "." in stored else ".000000+00:00")


def _python_iso(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


def _with_iso_times(codings: QuerySet[Coding]):
    """Read ``created``/``updated`` as ISO 8601 text in UTC, microseconds always shown.

    Parsing two datetimes per row, then formatting them again, was most of the
    export's time; the databases can hand over text that needs little or no work.
    """
    if connection.vendor == "sqlite":
        text = {name: Cast(name, TextField()) for name in ("created", "updated")}
        when = _sqlite_iso
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
        when = str
    else:
        return codings, ("created", "updated"), _python_iso
    annotated = codings.annotate(**{f"{name}_text": value for name, value in text.items()})
    return annotated, ("created_text", "updated_text"), when


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
    """Yield one CSV row per coding of ``codings``, in ``CODING_COLUMNS`` order plus ``names``."""
    paths = code_paths(study)
    code_names = dict(Code.objects.filter(study=study).values_list("pk", "name"))
    parents = dict(Code.objects.filter(study=study).values_list("pk", "parent_id"))
    attributes: dict[int, dict[str, str]] = {}
    for participant_id, name, value in ParticipantAttribute.objects.filter(
        participant__study=study
    ).values_list("participant_id", "name", "value"):
        attributes.setdefault(participant_id, {})[name] = value
    interviews = {}
    for pk, title, participant_id, label in Interview.objects.filter(study=study).values_list(
        "pk", "title", "participant_id", "participant__label"
    ):
        values = attributes.get(participant_id, {})
        interviews[pk] = (title, label or "", tuple(values.get(name, "") for name in names))
    turns: dict[int, _Turns] = {}
    for turn in Turn.objects.filter(interview__study=study).order_by("interview", "start"):
        turns.setdefault(turn.interview_id, _Turns()).add(
            turn.start, turn.end, turn.speaker, turn.timestamp_display
        )
    no_turns = _Turns()
    coders = dict(
        get_user_model()
        .objects.filter(codings__interview__study=study)
        .distinct()
        .values_list("pk", "username")
    )
    title = study.title
    codings, times, when = _with_iso_times(codings)
    for (
        interview_id,
        code_id,
        coder_id,
        start,
        end,
        quote,
        memo,
        origin,
        created,
        updated,
    ) in codings.values_list(
        "interview_id",
        "code_id",
        "coder_id",
        "start",
        "end",
        "quote",
        "memo",
        "origin",
        *times,
    ).iterator(chunk_size=CHUNK_SIZE):
        interview_title, participant, values = interviews[interview_id]
        speaker, time = turns.get(interview_id, no_turns).at(start)
        parent_id = parents[code_id]
        yield (
            title,
            interview_title,
            participant,
            speaker,
            time,
            coders[coder_id],
            code_names[code_id],
            paths[code_id],
            paths[parent_id] if parent_id else "",
            start,
            end,
            quote,
            memo,
            origin,
            when(created),
            when(updated),
            *values,
        )


def matrix_counts(codings: QuerySet[Coding]) -> dict[tuple[int, int], int]:
    """Count codings per (code, interview) in one query."""
    return {
        (row["code_id"], row["interview_id"]): row["n"]
        for row in codings.order_by().values("code_id", "interview_id").annotate(n=Count("pk"))
    }
