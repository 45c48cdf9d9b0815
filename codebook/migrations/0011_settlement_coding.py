"""The link between settlements and their consensus codings becomes a model of its own.

Django's automatic table for ``Settlement.consensus_codings`` deletes its rows in
Python; a model of our own can let the database do it (``DB_CASCADE``), as the
rest of a study's references now do. The table and its rows stay: the first
step only tells Django's migration state about the existing table, then its
foreign keys get ``ON DELETE CASCADE`` and its uniqueness a name.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("codebook", "0010_coding_in_passage_order"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SettlementCoding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "settlement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="codebook.settlement",
                            ),
                        ),
                        (
                            "coding",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="codebook.coding",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "codebook_settlement_consensus_codings",
                        "unique_together": {("settlement", "coding")},
                    },
                ),
                migrations.AlterField(
                    model_name="settlement",
                    name="consensus_codings",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="settlements",
                        through="codebook.SettlementCoding",
                        to="codebook.coding",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name="settlementcoding",
            name="settlement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.DB_CASCADE,
                related_name="+",
                to="codebook.settlement",
            ),
        ),
        migrations.AlterField(
            model_name="settlementcoding",
            name="coding",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.DB_CASCADE,
                related_name="+",
                to="codebook.coding",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="settlementcoding",
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name="settlementcoding",
            constraint=models.UniqueConstraint(
                fields=("settlement", "coding"), name="settlement_coding_once"
            ),
        ),
    ]
