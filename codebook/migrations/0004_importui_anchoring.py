"""Keep lost codings, and let a correction update codings in two steps.

A lost coding keeps its old words in ``lost_quote``. Uniqueness holds only for
codings on their passage (lost ones share placeholder spans; a correction can
collapse two passages into one, and those are flagged for review).

The end-within-transcript trigger (``codebook/db_triggers.py``, created after
``migrate``) reads the interview's ``text_length`` and fires only when a
coding's end or interview changes.
"""

from django.conf import settings
from django.db import migrations, models

class Migration(migrations.Migration):

    dependencies = [
        ('codebook', '0003_codebookpage_history'),
        ('interviews', '0003_importui_text_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
    ]
