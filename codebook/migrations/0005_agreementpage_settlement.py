"""Record settlements of disagreements; let the consensus layer repeat a coder's passage.

Both versions of ``coding_not_repeated`` are conditional, so SQLite drops and
creates an index instead of rebuilding codebook_coding: its triggers stay.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('codebook', '0004_importui_anchoring'),
        ('interviews', '0003_importui_text_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SentenceCache',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text_hash', models.CharField(max_length=64)),
                ('segmenter', models.CharField(max_length=100)),
                ('spans', models.JSONField(help_text='[[start, end], ...] in code points, sorted.')),
                ('updated', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name='Settlement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.PositiveIntegerField()),
                ('end', models.PositiveIntegerField()),
                ('unit', models.CharField(help_text='The unit of analysis it was listed under.', max_length=20)),
                ('choice', models.CharField(choices=[('coder', "One coder's coding"), ('both', "Every coder's coding (their union)"), ('neither', 'Neither: the code does not apply here'), ('edited', 'An edited passage')], max_length=10)),
                ('note', models.TextField(blank=True)),
                ('settled', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-settled', '-pk'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='coding',
            name='coding_not_repeated',
        ),
        migrations.AddConstraint(
            model_name='coding',
            constraint=models.UniqueConstraint(condition=models.Q(('anchor_status', 'ok'), models.Q(('origin', 'consensus'), _negated=True)), fields=('interview', 'code', 'coder', 'start', 'end'), name='coding_not_repeated'),
        ),
        migrations.AddConstraint(
            model_name='coding',
            constraint=models.UniqueConstraint(condition=models.Q(('anchor_status', 'ok'), ('origin', 'consensus')), fields=('interview', 'code', 'start', 'end'), name='consensus_coding_not_repeated'),
        ),
        migrations.AddField(
            model_name='sentencecache',
            name='interview',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='sentence_cache', to='interviews.interview'),
        ),
        migrations.AddField(
            model_name='settlement',
            name='code',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='settlements', to='codebook.code'),
        ),
        migrations.AddField(
            model_name='settlement',
            name='consensus_codings',
            field=models.ManyToManyField(blank=True, related_name='settlements', to='codebook.coding'),
        ),
        migrations.AddField(
            model_name='settlement',
            name='interview',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='settlements', to='interviews.interview'),
        ),
        migrations.AddField(
            model_name='settlement',
            name='settled_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='settlements', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='settlement',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='settlements', to='interviews.study'),
        ),
        migrations.AddField(
            model_name='settlement',
            name='taken_from',
            field=models.ForeignKey(blank=True, help_text="The coder whose coding was taken, when one coder's was.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='settlement',
            index=models.Index(fields=['interview', 'code', 'start'], name='settlement_by_passage'),
        ),
        migrations.AddConstraint(
            model_name='settlement',
            constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='settlement_end_after_start'),
        ),
        migrations.AddConstraint(
            model_name='settlement',
            constraint=models.CheckConstraint(condition=models.Q(('choice__in', ['coder', 'both', 'neither', 'edited'])), name='settlement_choice_known'),
        ),
        migrations.AddConstraint(
            model_name='settlement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('choice', 'coder'), ('taken_from__isnull', False)), models.Q(models.Q(('choice', 'coder'), _negated=True), ('taken_from__isnull', True)), _connector='OR'), name='settlement_names_coder_iff_taken'),
        ),
    ]
