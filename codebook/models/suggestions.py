"""Suggested passages, the runs that make them and the models they learn."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from codebook.models.coding import Code, Coding
from interviews.models import Interview, Study


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    OUTDATED = "outdated", "Out of date (transcript edited)"


class Suggester(models.TextChoices):
    TERMS = "terms", "Codebook terms"
    LEARNED = "learned", "Learned from codings"


def one_of(field: str, values) -> Q:
    """Return ``field = a OR field = b ...``: the same check as ``field__in``, but cheaper.

    SQLite evaluates ``IN`` over more than two constants in a CHECK by building a temporary
    index for every row written: for the suggestion table's status that took a fifth of the
    time of inserting a run's suggestions. An ``OR`` of equalities costs almost nothing.
    """
    condition = Q()
    for value in values:
        condition |= Q(**{field: value})
    return condition


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SuggestionRun(models.Model):
    """One request to suggest codings for one coder, over one interview or the whole study."""

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="suggestion_runs")
    interview = models.ForeignKey(
        Interview,
        on_delete=models.DB_CASCADE,
        null=True,
        blank=True,
        related_name="suggestion_runs",
    )
    suggester = models.CharField(max_length=10, choices=Suggester.choices)
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_CASCADE,
        related_name="suggestion_runs",
        help_text="Whose suggestions these are (and, under blind coding, whose codings teach).",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    suggested = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(suggester__in=Suggester.values), name="suggestion_run_suggester_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="suggestion_run_status_known"
            ),
            models.CheckConstraint(
                condition=Q(done__lte=F("total")), name="suggestion_run_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_suggester_display()} run {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class Suggestion(models.Model):
    """A passage and code proposed to one coder; never a coding until that coder accepts it."""

    # A run writes thousands of rows, and each index costs time on every one: only the
    # composite index below (interview first), the primary key and the partial unique
    # index on ``coding`` are kept. Deleting a user, a code or a run (rare, and done by a
    # person) scans the table instead. Deletes cascade in the database (see Coding).
    interview = models.ForeignKey(
        Interview, on_delete=models.DB_CASCADE, related_name="suggestions", db_index=False
    )
    code = models.ForeignKey(
        Code, on_delete=models.DB_CASCADE, related_name="suggestions", db_index=False
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_CASCADE,
        related_name="suggestions",
        db_index=False,
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    score = models.FloatField()
    suggester = models.CharField(max_length=10, choices=Suggester.choices)
    model_version = models.CharField(max_length=100)
    explanation = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    run = models.ForeignKey(
        SuggestionRun,
        on_delete=models.DB_SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        db_index=False,
    )
    # One suggestion per coding, checked by a unique index on the accepted rows only: the
    # open ones (nearly all) have no coding and need no entry in it.
    coding = models.ForeignKey(
        Coding,
        # A trigger reopens the suggestion first (codebook/db_triggers.py): the coder
        # undid or deleted the coding, and the passage may be worth another look.
        on_delete=models.DB_SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        db_index=False,
        help_text="The coding this suggestion became when it was accepted.",
    )
    created = models.DateTimeField(auto_now_add=True)
    decided = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["interview", "start", "-score", "pk"]
        indexes = [
            models.Index(
                fields=["interview", "coder", "status"], name="suggestion_by_interview_coder"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["coding"],
                condition=Q(coding__isnull=False),
                name="suggestion_one_per_coding",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="suggestion_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="suggestion_score_0_to_1"
            ),
            models.CheckConstraint(
                condition=one_of("status", SuggestionStatus.values),
                name="suggestion_status_known",
            ),
            models.CheckConstraint(
                condition=Q(suggester__in=Suggester.values), name="suggestion_suggester_known"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(status="outdated") | Q(decided__isnull=False),
                name="suggestion_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} [{self.start}, {self.end}) {self.score:.2f}"


class LearnedModel(models.Model):
    """A trained learned-suggester model: one per study, or one per coder while coding is blind.

    A coder's model learns only from that coder's codings and the consensus layer.
    """

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="learned_models")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_CASCADE,
        null=True,
        blank=True,
        related_name="learned_models",
        help_text="Empty for the study's model trained on every coder's codings.",
    )
    blob = models.BinaryField()
    version = models.CharField(max_length=100)
    trained_at = models.DateTimeField()
    size = models.PositiveIntegerField(help_text="Bytes of the stored model.")
    labels = models.JSONField(help_text="Code ids the model knows.")
    n_examples = models.PositiveIntegerField()
    codings_seen = models.PositiveIntegerField(
        help_text="How many training codings there were, to know when to retrain."
    )
    scores = models.JSONField(null=True, blank=True, help_text="Cross-validated scores.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["study", "coder"],
                condition=Q(coder__isnull=False),
                name="learned_model_one_per_coder",
            ),
            models.UniqueConstraint(
                fields=["study"],
                condition=Q(coder__isnull=True),
                name="learned_model_one_per_study",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.study})"


class SuggestionQuality(models.Model):
    """The last evaluation of a suggester on a study's human codings, at sentence level."""

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="suggestion_quality")
    suggester = models.CharField(max_length=10, choices=Suggester.choices)
    evaluated = models.DateTimeField(auto_now=True)
    report = models.JSONField(help_text="ScoreReport.to_dict(), code ids as keys.")
    sentences = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["study", "suggester"], name="suggestion_quality_one_per_suggester"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggester} on {self.study}"
