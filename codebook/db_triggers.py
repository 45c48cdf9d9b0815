"""Database triggers: codings stay inside their transcript; deleted codings reopen suggestions.

A CHECK constraint cannot look at another table, so a trigger compares a
coding's end with its interview's ``text_length`` (itself checked against the
text by a constraint). Both SQLite's ``length()`` and PostgreSQL's
``char_length()`` count code points, the unit of every offset in coprod.

When a coding that accepting a suggestion made is deleted (undone by its coder,
deleted in the workbench or the admin, joined into its twin by a merge), the
suggestion goes back to open so that the passage can be reconsidered: an
"accepted" suggestion without its coding would say what is not true. The
database does it, before its own ``SET NULL`` of the link, so that every way of
deleting codings does it, a million at once included, without Django loading them.

The triggers are managed around ``migrate`` rather than in a migration: SQLite
rebuilds a table (create, copy, drop, rename) to change it, which drops the
table's triggers and refuses to rename a table that a trigger's SQL names. So
the triggers are dropped before migrations run and created again after them.
"""

# Status and decision date are read before the row changes, so every CASE sees
# "accepted". A suggestion made before a correction of its transcript comes back
# out of date, as the open ones were marked when the correction was saved: its
# offsets point into the old text.
REOPEN = """
    UPDATE codebook_suggestion
    SET status = CASE
            WHEN status <> 'accepted' THEN status
            WHEN EXISTS (
                SELECT 1 FROM interviews_interviewrevision AS revision
                WHERE revision.interview_id = codebook_suggestion.interview_id
                AND revision.created > codebook_suggestion.created
            ) THEN 'outdated'
            ELSE 'open'
        END,
        decided = CASE WHEN status = 'accepted' THEN NULL ELSE decided END,
        coding_id = NULL
    WHERE coding_id = OLD.id
"""

SQLITE_TRIGGER = """
    CREATE TRIGGER IF NOT EXISTS coding_within_transcript_{op}
    BEFORE {event} ON codebook_coding
    WHEN NEW."end" > (SELECT text_length FROM interviews_interview WHERE id = NEW.interview_id)
    BEGIN
        SELECT RAISE(ABORT, 'coding ends after the end of its transcript');
    END;
"""
# Only a change of end or interview is checked: re-anchoring first stores the
# new text, then moves codings, and a status change alone must not fail.
SQLITE_CREATE = [
    SQLITE_TRIGGER.format(op="insert", event="INSERT"),
    SQLITE_TRIGGER.format(op="update", event='UPDATE OF "end", interview_id'),
]
SQLITE_CREATE.append(
    f"""
    CREATE TRIGGER IF NOT EXISTS suggestion_reopens_when_its_coding_goes
    BEFORE DELETE ON codebook_coding
    BEGIN
        {REOPEN};
    END;
    """
)
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS coding_within_transcript_insert;",
    "DROP TRIGGER IF EXISTS coding_within_transcript_update;",
    "DROP TRIGGER IF EXISTS suggestion_reopens_when_its_coding_goes;",
]
POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION coding_within_transcript() RETURNS trigger AS $$
    BEGIN
        IF NEW."end" > (SELECT text_length FROM interviews_interview
                        WHERE id = NEW.interview_id) THEN
            RAISE EXCEPTION 'coding ends after the end of its transcript'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS coding_within_transcript ON codebook_coding;",
    """
    CREATE TRIGGER coding_within_transcript
    BEFORE INSERT OR UPDATE OF "end", interview_id ON codebook_coding
    FOR EACH ROW EXECUTE FUNCTION coding_within_transcript();
    """,
    f"""
    CREATE OR REPLACE FUNCTION suggestion_reopens_when_its_coding_goes() RETURNS trigger AS $$
    BEGIN
        {REOPEN};
        RETURN OLD;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS suggestion_reopens_when_its_coding_goes ON codebook_coding;",
    """
    CREATE TRIGGER suggestion_reopens_when_its_coding_goes
    BEFORE DELETE ON codebook_coding
    FOR EACH ROW EXECUTE FUNCTION suggestion_reopens_when_its_coding_goes();
    """,
]
CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
# PostgreSQL alters tables in place and keeps triggers; only SQLite needs this.
DROP = {"sqlite": SQLITE_DROP}


def _tables(connection) -> set[str]:
    return set(connection.introspection.table_names())


def drop_coding_triggers(using: str = "default", **kwargs) -> None:
    """Drop the triggers before migrations, so SQLite can rebuild the tables they name."""
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        for statement in DROP.get(connection.vendor, []):
            cursor.execute(statement)


def create_coding_triggers(using: str = "default", **kwargs) -> None:
    """Create the triggers after migrations, once the tables they name exist."""
    from django.db import connections

    connection = connections[using]
    needed = {
        "codebook_coding",
        "codebook_suggestion",
        "interviews_interview",
        "interviews_interviewrevision",
    }
    if not needed <= _tables(connection):
        return
    with connection.cursor() as cursor:
        for statement in CREATE.get(connection.vendor, []):
            cursor.execute(statement)
