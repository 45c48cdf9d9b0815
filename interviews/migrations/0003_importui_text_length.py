"""Keep each interview's text length in a column, checked by the database.

The codings' end-within-transcript trigger reads it instead of counting the
characters of the whole text for every coding written (2,000 codings of a
50,000-word transcript took a second on SQLite that way).
"""

import django.db.models.functions.text
from django.db import migrations, models


def fill_text_length(apps, schema_editor):
    Interview = apps.get_model("interviews", "Interview")
    Interview.objects.update(text_length=django.db.models.functions.text.Length("text"))


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0002_importui_revisions'),
    ]

    operations = [
        migrations.AddField(
            model_name='interview',
            name='text_length',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Code points in the text; set on every save.'),
        ),
        migrations.RunPython(fill_text_length, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='interview',
            constraint=models.CheckConstraint(condition=models.Q(('text_length', django.db.models.functions.text.Length('text'))), name='interview_text_length_true'),
        ),
    ]
