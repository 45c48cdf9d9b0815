"""Store what a suggestion run proposes: per interview, replace the coder's open suggestions.

A run writes thousands of rows, so this module writes them in the way that is quick on
each database (see ``_insert``), with statements written out once per process rather
than built by the ORM per call.
"""

import functools
import itertools
import logging
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from codebook.models import Coding, Suggestion, SuggestionRun, SuggestionStatus
from codebook.page_revision import check_revision
from codebook.passages import PassageRefused
from codebook.suggesting import records
from interviews.models import Interview

logger = logging.getLogger(__name__)


def store_suggestions(
    run: SuggestionRun, interview: Interview, found: list[records.Suggestion]
) -> int | None:
    """Replace the coder's open suggestions of this suggester on the interview; return how many.

    Leaves out what the coder rejected before and what they have coded already, read in
    the same transaction as the writes, so a decision made while the run goes on counts.
    ``found`` was made from ``interview.text``: when a correction has been saved since,
    nothing is stored and None returned (the correction put the open suggestions out of
    date; a new run suggests on the new text).
    """
    interview_id, coder_id = interview.pk, run.coder_id
    with transaction.atomic():
        try:
            check_revision(interview_id, interview.revision)
        except PassageRefused:
            logger.info("run %s: interview %s was corrected meanwhile", run.pk, interview_id)
            return None
        skip = _decided_passages(interview_id, coder_id)
        # Values shared by every row are read once: attribute lookups and conversions
        # per row were a measurable part of storing 10,000 suggestions.
        created = Suggestion._meta.get_field("created").get_db_prep_save(
            timezone.now(), connection=connection
        )
        shared = (coder_id, run.pk, created)
        # A records.Suggestion is a tuple in the order of the INSERT's columns.
        rows = [(interview_id, *s, *shared) for s in found if s[:3] not in skip]
        with connection.cursor() as cursor:
            cursor.execute(_sql().delete_open, [interview_id, coder_id, run.suggester])
        _insert(rows)
    return len(rows)


# Rows per INSERT statement: one statement with many rows took 40 % of the time that
# ``executemany`` of one-row statements took on SQLite (the per-row reset, bind and
# step of the driver). 11 parameters a row stays under SQLite's oldest limit of 999.
ROWS_PER_INSERT = 90


def _insert(rows: list[tuple]) -> None:
    """Insert the rows in the current transaction, in the way that is quick on each database.

    SQLite: ``ROWS_PER_INSERT`` rows to a statement, straight to the driver, with Django's
    translation of its errors: Django's SQLite cursor rewrites each "%s" into "?" with a
    regular expression on every call, which for 11,000 rows cost as much as SQLite's own
    work, and its DEBUG cursor logs each statement by asking SQLite to quote every
    parameter. PostgreSQL: ``COPY``, which checks the same constraints; psycopg parses a
    long ``INSERT`` anew on every call (it caches only short ones), which took longer
    than the whole run.
    """
    if not rows:
        return
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        statements = _sql()
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(statements.copy) as copy,
        ):
            for row in rows:
                copy.write_row((*row, statements.status))
        return
    if connection.vendor == "sqlite":
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            for start in range(0, len(rows), ROWS_PER_INSERT):
                chunk = rows[start : start + ROWS_PER_INSERT]
                params = list(itertools.chain.from_iterable(chunk))
                connection.connection.execute(_insert_sql(len(chunk)), params)
        return
    with connection.cursor() as cursor:  # any other database: the plain way
        head, values = _sql().insert
        cursor.executemany(head + values.replace("?", "%s"), rows)


@functools.lru_cache(maxsize=ROWS_PER_INSERT)
def _insert_sql(n_rows: int) -> str:
    """An INSERT of ``n_rows`` rows, in SQLite's own "?" style."""
    head, values = _sql().insert
    return head + ", ".join([values] * n_rows)


@functools.cache
def _sql():
    """Build the three statements a run repeats per interview, once per process.

    Written out rather than built by the ORM per call: ``bulk_create`` spent more time
    making model instances and SQL than the rest of a run (docs/benchmarks.md). Nothing
    references a suggestion, so deleting rows needs none of the ORM's collecting, and the
    database still checks every constraint of what is inserted.
    """
    quote = connection.ops.quote_name
    suggestion, coding = quote(Suggestion._meta.db_table), quote(Coding._meta.db_table)
    columns = ", ".join(
        quote(column)
        for column in (
            "interview_id",
            "start",
            "end",
            "code_id",
            "score",
            "suggester",
            "model_version",
            "explanation",
            "coder_id",
            "run_id",
            "created",
            "status",
        )
    )
    open_, outdated, rejected = (
        SuggestionStatus.OPEN.value,
        SuggestionStatus.OUTDATED.value,
        SuggestionStatus.REJECTED.value,
    )
    passage = f"{quote('start')}, {quote('end')}, code_id"
    return _Statements(
        # "status" is a constant of the statement: one parameter fewer per row.
        insert=(
            f"INSERT INTO {suggestion} ({columns}) VALUES ",
            f"({', '.join('?' * 11)}, '{open_}')",
        ),
        copy=f"COPY {suggestion} ({columns}) FROM STDIN",
        status=open_,
        delete_open=(
            f"DELETE FROM {suggestion} WHERE interview_id = %s AND coder_id = %s"
            f" AND suggester = %s AND (status = '{open_}' OR status = '{outdated}')"
        ),
        decided=(
            f"SELECT {passage} FROM {suggestion} WHERE interview_id = %s AND coder_id = %s"
            f" AND status = '{rejected}'"
            f" UNION ALL SELECT {passage} FROM {coding} WHERE interview_id = %s AND coder_id = %s"
        ),
    )


class _Statements(NamedTuple):
    insert: tuple[str, str]  # the statement's head, one row's values (SQLite)
    copy: str  # PostgreSQL
    status: str  # of every row inserted
    delete_open: str
    decided: str


def _decided_passages(interview_id: int, coder_id: int) -> set[tuple[int, int, int]]:
    """Return (start, end, code id) the coder rejected or coded on the interview (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_sql().decided, [interview_id, coder_id, interview_id, coder_id])
        return set(cursor.fetchall())
