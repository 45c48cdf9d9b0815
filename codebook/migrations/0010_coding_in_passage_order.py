"""An index that hands out an interview's codings in export order, without a sort.

It starts with the interview, so it also serves the foreign key (deleting an
interview finds its codings with it): the column's own index goes, and writing
a coding updates as many indexes as before.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("codebook", "0009_suggestion_reopens_when_its_coding_goes"),
        ("interviews", "0003_importui_text_length"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="coding",
            index=models.Index(
                fields=["interview", "start", "end", "id"], name="coding_in_passage_order"
            ),
        ),
        migrations.AlterField(
            model_name="coding",
            name="interview",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="codings",
                to="interviews.interview",
            ),
        ),
    ]
