"""Attribute names are one name whatever their case, as the participants upload matches them.

Uploads before this kept "Age" and "age" as two attributes of one participant. Before the
database refuses that, each such pair becomes one row: the name spelled as first stored,
the value of the latest upload (the file was meant to replace it). Across a study, every
participant's attribute takes the spelling first stored, so the table shows one column.
"""

import django.db.models.functions.text
from django.db import migrations, models


def merge_names_differing_in_case(apps, schema_editor):
    ParticipantAttribute = apps.get_model("interviews", "ParticipantAttribute")
    rows = ParticipantAttribute.objects.order_by("pk").values_list(
        "pk", "participant_id", "participant__study_id", "name", "value"
    )
    spelling: dict[tuple[int, str], str] = {}
    kept: dict[tuple[int, str], list] = {}
    for pk, participant_id, study_id, name, value in list(rows):
        key = name.casefold()
        first = spelling.setdefault((study_id, key), name)
        row = kept.get((participant_id, key))
        if row is None:
            kept[participant_id, key] = [pk, first, value, name != first]
        else:
            ParticipantAttribute.objects.filter(pk=pk).delete()
            row[2], row[3] = value, True
    for pk, name, value, changed in kept.values():
        if changed:
            ParticipantAttribute.objects.filter(pk=pk).update(name=name, value=value)


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0004_delete_in_the_database'),
    ]

    operations = [
        migrations.RunPython(merge_names_differing_in_case, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='participantattribute',
            name='attribute_name_unique_per_participant',
        ),
        migrations.AddConstraint(
            model_name='participantattribute',
            constraint=models.UniqueConstraint(models.F('participant'), django.db.models.functions.text.Lower('name'), name='attribute_name_unique_per_participant_any_case'),
        ),
    ]
