"""Settled disagreements (the consensus layer's record) and cached sentence units."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from codebook.models.coding import Code, Coding
from interviews.models import Interview, Study


class SettlementChoice(models.TextChoices):
    """What a supervisor took into the consensus layer for one disagreement."""

    CODER = "coder", "One coder's coding"
    BOTH = "both", "Every coder's coding (their union)"
    NEITHER = "neither", "Neither: the code does not apply here"
    EDITED = "edited", "An edited passage"


class Settlement(models.Model):
    """One settled disagreement: who chose what, when, and the consensus codings it made.

    ``start``/``end`` are the disagreement's span in code points, as it was listed
    (a unit, or a stretch of the continuum); the consensus codings may reach
    beyond it when a coder's coding did.
    """

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="settlements")
    interview = models.ForeignKey(
        Interview, on_delete=models.DB_CASCADE, related_name="settlements"
    )
    # A code is deleted only without codings; its settlements go with it (a merge moves them).
    code = models.ForeignKey(Code, on_delete=models.DB_CASCADE, related_name="settlements")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, help_text="The unit of analysis it was listed under.")
    choice = models.CharField(max_length=10, choices=SettlementChoice.choices)
    # Users who settled or were taken from cannot be deleted: the database refuses.
    taken_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        help_text="The coder whose coding was taken, when one coder's was.",
    )
    note = models.TextField(blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="settlements"
    )
    settled = models.DateTimeField(auto_now_add=True)
    consensus_codings = models.ManyToManyField(
        Coding, blank=True, related_name="settlements", through="SettlementCoding"
    )

    class Meta:
        ordering = ["-settled", "-pk"]
        indexes = [
            models.Index(fields=["interview", "code", "start"], name="settlement_by_passage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="settlement_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=SettlementChoice.values), name="settlement_choice_known"
            ),
            models.CheckConstraint(
                condition=Q(choice="coder", taken_from__isnull=False)
                | (~Q(choice="coder") & Q(taken_from__isnull=True)),
                name="settlement_names_coder_iff_taken",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} [{self.start}, {self.end}): {self.get_choice_display()}"


class SettlementCoding(models.Model):
    """A consensus coding and the settlement that made it (the table Django made for them).

    A model of its own so that its references are database-level like the rows
    they join: deleting codings or a settlement deletes these links in the database.
    """

    settlement = models.ForeignKey(Settlement, on_delete=models.DB_CASCADE, related_name="+")
    coding = models.ForeignKey(Coding, on_delete=models.DB_CASCADE, related_name="+")

    class Meta:
        db_table = "codebook_settlement_consensus_codings"
        constraints = [
            models.UniqueConstraint(fields=["settlement", "coding"], name="settlement_coding_once"),
        ]

    def __str__(self) -> str:
        return f"{self.settlement} → coding {self.coding_id}"


class SentenceCache(models.Model):
    """An interview's sentence spans, kept until its text changes (spaCy is slow)."""

    interview = models.OneToOneField(
        Interview, on_delete=models.DB_CASCADE, related_name="sentence_cache"
    )
    text_hash = models.CharField(max_length=64)
    segmenter = models.CharField(max_length=100)
    spans = models.JSONField(help_text="[[start, end], ...] in code points, sorted.")
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{len(self.spans)} sentences of {self.interview}"
