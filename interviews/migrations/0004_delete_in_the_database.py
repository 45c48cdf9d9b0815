"""A study's references become database-level: the database deletes (or refuses) in one statement.

``DB_CASCADE`` and ``DB_SET_NULL`` put ``ON DELETE`` clauses on the foreign keys;
``PROTECT`` became ``DO_NOTHING`` (no change in the database, whose foreign key
refuses the delete). See the docstring of ``interviews/models.py``. SQLite
rebuilds each altered table (its rows are copied); PostgreSQL re-creates the
foreign keys.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0003_importui_text_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='interview',
            name='participant',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='interviews', to='interviews.participant'),
        ),
        migrations.AlterField(
            model_name='interview',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='interviews', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='interviewrevision',
            name='author',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='interview_revisions', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='interviewrevision',
            name='interview',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='revisions', to='interviews.interview'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='memberships', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='participant',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='participants', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='participantattribute',
            name='participant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='attributes', to='interviews.participant'),
        ),
        migrations.AlterField(
            model_name='pendingimport',
            name='study',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='pending_imports', to='interviews.study'),
        ),
        migrations.AlterField(
            model_name='pendingimport',
            name='uploader',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='pending_imports', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='turn',
            name='interview',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DB_CASCADE, related_name='turns', to='interviews.interview'),
        ),
    ]
