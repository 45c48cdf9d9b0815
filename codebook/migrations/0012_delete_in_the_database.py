"""The codebook's references become database-level, like the interviews' (see 0004 there).

Deleting many codings no longer loads them, nor sets their suggestions' link to
null in one UPDATE naming every coding (SQLite's variable limit refused a
million). SQLite rebuilds the altered tables, codebook_coding included: its
trigger is created again after ``migrate`` (``codebook/db_triggers.py``).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('codebook', '0011_settlement_coding'),
        ('interviews', '0004_delete_in_the_database'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='code',
            name='parent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='children', to='codebook.code'),
        ),
        migrations.AlterField(
            model_name='code',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='codes', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='codebookchange',
            name='code',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.DB_SET_NULL, related_name='changes', to='codebook.code'),
        ),
        migrations.AlterField(
            model_name='codebookchange',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='codebook_changes', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='codebookchange',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.DB_SET_NULL, related_name='codebook_changes', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='codebookversion',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.DB_SET_NULL, related_name='codebook_versions', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='codebookversion',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='codebook_versions', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='coding',
            name='code',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='codings', to='codebook.code'),
        ),
        migrations.AlterField(
            model_name='coding',
            name='coder',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='codings', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='coding',
            name='interview',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DB_CASCADE, related_name='codings', to='interviews.interview'),
        ),
        migrations.AlterField(
            model_name='codingaction',
            name='coder',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='coding_actions', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='codingaction',
            name='interview',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='coding_actions', to='interviews.interview'),
        ),
        migrations.AlterField(
            model_name='learnedmodel',
            name='coder',
            field=models.ForeignKey(blank=True, help_text="Empty for the study's model trained on every coder's codings.", null=True, on_delete=django.db.models.deletion.DB_CASCADE, related_name='learned_models', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='learnedmodel',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='learned_models', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='memo',
            name='author',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='memos', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='memo',
            name='code',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.DB_CASCADE, related_name='memos', to='codebook.code'),
        ),
        migrations.AlterField(
            model_name='memo',
            name='interview',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.DB_CASCADE, related_name='memos', to='interviews.interview'),
        ),
        migrations.AlterField(
            model_name='memo',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='memos', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='sentencecache',
            name='interview',
            field=models.OneToOneField(on_delete=django.db.models.deletion.DB_CASCADE, related_name='sentence_cache', to='interviews.interview'),
        ),
        migrations.AlterField(
            model_name='settlement',
            name='code',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='settlements', to='codebook.code'),
        ),
        migrations.AlterField(
            model_name='settlement',
            name='interview',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='settlements', to='interviews.interview'),
        ),
        migrations.AlterField(
            model_name='settlement',
            name='settled_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='settlements', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='settlement',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='settlements', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='settlement',
            name='taken_from',
            field=models.ForeignKey(blank=True, help_text="The coder whose coding was taken, when one coder's was.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='code',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DB_CASCADE, related_name='suggestions', to='codebook.code'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='coder',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DB_CASCADE, related_name='suggestions', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='coding',
            field=models.ForeignKey(blank=True, db_index=False, help_text='The coding this suggestion became when it was accepted.', null=True, on_delete=django.db.models.deletion.DB_SET_NULL, related_name='suggestions', to='codebook.coding'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='interview',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DB_CASCADE, related_name='suggestions', to='interviews.interview'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='run',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.DB_SET_NULL, related_name='suggestions', to='codebook.suggestionrun'),
        ),
        migrations.AlterField(
            model_name='suggestionquality',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='suggestion_quality', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='suggestionrun',
            name='coder',
            field=models.ForeignKey(help_text='Whose suggestions these are (and, under blind coding, whose codings teach).', on_delete=django.db.models.deletion.DB_CASCADE, related_name='suggestion_runs', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='suggestionrun',
            name='interview',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.DB_CASCADE, related_name='suggestion_runs', to='interviews.interview'),
        ),
        migrations.AlterField(
            model_name='suggestionrun',
            name='requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.DB_SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='suggestionrun',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='suggestion_runs', to='interviews.study'),
        ),
    ]
