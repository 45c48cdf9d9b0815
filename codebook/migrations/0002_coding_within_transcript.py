"""Make the database refuse a coding that ends past its transcript's text.

A CHECK constraint cannot look at another table, so a trigger does it; both
SQLite's length() and PostgreSQL's char_length() count code points, the unit
of every offset in coprod.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER coding_within_transcript_{op}
    BEFORE {OP} ON codebook_coding
    WHEN NEW."end" > (SELECT length(text) FROM interviews_interview WHERE id = NEW.interview_id)
    BEGIN
        SELECT RAISE(ABORT, 'coding ends after the end of its transcript');
    END;
    """.format(op=op.lower(), OP=op)
    for op in ("INSERT", "UPDATE")
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS coding_within_transcript_insert;",
               "DROP TRIGGER IF EXISTS coding_within_transcript_update;"]

POSTGRES = [
    """
    CREATE FUNCTION coding_within_transcript() RETURNS trigger AS $$
    BEGIN
        IF NEW."end" > (SELECT char_length(text) FROM interviews_interview
                        WHERE id = NEW.interview_id) THEN
            RAISE EXCEPTION 'coding ends after the end of its transcript'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER coding_within_transcript
    BEFORE INSERT OR UPDATE ON codebook_coding
    FOR EACH ROW EXECUTE FUNCTION coding_within_transcript();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS coding_within_transcript ON codebook_coding;",
    "DROP FUNCTION IF EXISTS coding_within_transcript();",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("codebook", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
