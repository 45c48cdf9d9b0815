"""Read a study as it was at one moment, while its coders go on working.

A backup or an export reads many tables one after another, and a download can
take a while. Without a snapshot, a code created and used in the meantime shows
up in the codings read later but not in the codes read earlier: the backup
fails half-way ("points outside the backup") or the CSV misses a code's row.
Both databases can give one reader a fixed view without stopping the writers:

- PostgreSQL: a REPEATABLE READ transaction. Its snapshot can be shared with a
  second connection (the export's reader thread) with ``SET TRANSACTION
  SNAPSHOT``, so both read the same moment.
- SQLite in WAL mode (``coprod.settings``): a read transaction. It must begin
  DEFERRED: the project's IMMEDIATE mode would take the write lock and make
  every coder wait for the download.

Inside a transaction already open (a caller's ``atomic()``, a test's), the
reader sees what that transaction sees and nothing is changed.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[str | None]:
    """Read the database as it is now until the block ends; writers are not held up.

    Yields a token that ``shared_snapshot`` accepts in another thread (PostgreSQL),
    or None when the view cannot be shared (SQLite, or inside an open transaction).
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield None
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor.fetchone()[0]
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        mode = connection.transaction_mode
        connection.transaction_mode = "DEFERRED"  # read by "BEGIN DEFERRED" just below
        try:
            with transaction.atomic(using=using):
                connection.transaction_mode = mode
                # SQLite fixes a deferred transaction's view at its first read.
                connection.cursor().execute("SELECT 1 FROM sqlite_master LIMIT 1")
                yield None
        finally:
            connection.transaction_mode = mode
        return
    with transaction.atomic(using=using):  # another database: its own isolation
        yield None


@contextmanager
def shared_snapshot(token: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Read, on this thread's connection, the moment ``read_snapshot`` yielded ``token`` for.

    The ``read_snapshot`` block must stay open until this one has begun.
    """
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SET TRANSACTION SNAPSHOT %s", [token])
        yield
