"""Formerly created the end-within-transcript trigger.

The trigger is now created after every ``migrate`` (``codebook/db_triggers.py``),
because SQLite's table rebuilds in later migrations drop it or trip over it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("codebook", "0001_initial")]

    operations: list = []
