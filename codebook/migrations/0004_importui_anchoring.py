"""Keep lost codings, and let a correction update codings in two steps.

A lost coding keeps its old words in ``lost_quote``. Uniqueness holds only for
codings on their passage (lost ones share placeholder spans; a correction can
collapse two passages into one, and those are flagged for review).

The end-within-transcript trigger now reads the interview's ``text_length``
(checked by the database) and fires only when a coding's end or interview changes: re-anchoring first sets statuses alone, while the new text
is already stored and old offsets may still point past its end for a moment.
"""

from django.conf import settings
from django.db import migrations, models

# SQLite rebuilds the table to change a constraint, which drops its triggers:
# both are created again here (and must be after any later rebuild).
SQLITE_TRIGGER = """
    CREATE TRIGGER coding_within_transcript_{op}
    BEFORE {event} ON codebook_coding
    WHEN NEW."end" > (SELECT {length} FROM interviews_interview WHERE id = NEW.interview_id)
    BEGIN
        SELECT RAISE(ABORT, 'coding ends after the end of its transcript');
    END;
"""
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS coding_within_transcript_insert;",
    "DROP TRIGGER IF EXISTS coding_within_transcript_update;",
]
SQLITE = SQLITE_DROP + [
    SQLITE_TRIGGER.format(op="insert", event="INSERT", length="text_length"),
    SQLITE_TRIGGER.format(
        op="update", event='UPDATE OF "end", interview_id', length="text_length"
    ),
]
SQLITE_BACK = SQLITE_DROP + [
    SQLITE_TRIGGER.format(op="insert", event="INSERT", length="length(text)"),
    SQLITE_TRIGGER.format(op="update", event="UPDATE", length="length(text)"),
]
POSTGRES_FUNCTION = """
    CREATE OR REPLACE FUNCTION coding_within_transcript() RETURNS trigger AS $$
    BEGIN
        IF NEW."end" > (SELECT {length} FROM interviews_interview
                        WHERE id = NEW.interview_id) THEN
            RAISE EXCEPTION 'coding ends after the end of its transcript'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
"""
POSTGRES = [
    POSTGRES_FUNCTION.format(length="text_length"),
    "DROP TRIGGER IF EXISTS coding_within_transcript ON codebook_coding;",
    """
    CREATE TRIGGER coding_within_transcript
    BEFORE INSERT OR UPDATE OF "end", interview_id ON codebook_coding
    FOR EACH ROW EXECUTE FUNCTION coding_within_transcript();
    """,
]
POSTGRES_BACK = [
    POSTGRES_FUNCTION.format(length="char_length(text)"),
    "DROP TRIGGER IF EXISTS coding_within_transcript ON codebook_coding;",
    """
    CREATE TRIGGER coding_within_transcript
    BEFORE INSERT OR UPDATE ON codebook_coding
    FOR EACH ROW EXECUTE FUNCTION coding_within_transcript();
    """,
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('codebook', '0003_codebookpage_history'),
        ('interviews', '0003_importui_text_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Unapplied last: restore the old triggers once the table rebuilds are undone.
        migrations.RunPython(
            migrations.RunPython.noop, run({"sqlite": SQLITE_BACK, "postgresql": POSTGRES_BACK})
        ),
        migrations.RemoveConstraint(
            model_name='coding',
            name='coding_not_repeated',
        ),
        migrations.AddField(
            model_name='coding',
            name='lost_quote',
            field=models.TextField(blank=True, help_text='For a lost coding: the words it coded before they were deleted.'),
        ),
        migrations.AddConstraint(
            model_name='coding',
            constraint=models.UniqueConstraint(condition=models.Q(('anchor_status', 'ok')), fields=('interview', 'code', 'coder', 'start', 'end'), name='coding_not_repeated'),
        ),
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}), migrations.RunPython.noop
        ),
    ]
