"""Make SQLite's end-of-transcript trigger cost the same in a long transcript.

SQLite's length() walks the whole text (every code point) on every coding written,
which made coding slower the longer the interview. Looking at the character at
``end`` walks only up to it: ``substr(text, end, 1)`` is empty exactly when
``end`` is past the text (``end > start >= 0``, so ``end >= 1``). PostgreSQL keeps
its trigger.
"""

from django.db import migrations

FAST = [
    """
    CREATE TRIGGER coding_within_transcript_{op}
    BEFORE {OP} ON codebook_coding
    WHEN (SELECT substr(text, NEW."end", 1) FROM interviews_interview
          WHERE id = NEW.interview_id) = ''
    BEGIN
        SELECT RAISE(ABORT, 'coding ends after the end of its transcript');
    END;
    """.format(op=op.lower(), OP=op)
    for op in ("INSERT", "UPDATE")
]
SLOW = [
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
DROP = [
    "DROP TRIGGER IF EXISTS coding_within_transcript_insert;",
    "DROP TRIGGER IF EXISTS coding_within_transcript_update;",
]


def on_sqlite(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    # After importing's rebuilds of the interview table: SQLite refuses to rename a
    # table that this trigger reads while the rebuild has it under another name.
    dependencies = [
        ("codebook", "0003_workbench_undo"),
        ("interviews", "0003_importui_text_length"),
    ]

    operations = [
        migrations.RunPython(on_sqlite(DROP + FAST), on_sqlite(DROP + SLOW)),
    ]
