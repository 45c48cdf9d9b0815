"""What is made of the interviews: codes, codings and memos."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower

from interviews.models import Interview, Study


class CodeInUse(ValidationError):
    """Raised when deleting a code that still has codings."""


class Code(models.Model):
    """A code of a study's codebook, in a tree of any depth, with its structured entry."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=120)
    colour = models.CharField(max_length=7, default="#f2c94c", help_text="Hex colour, #rrggbb.")
    definition = models.TextField(blank=True)
    inclusion = models.TextField("inclusion criteria", blank=True)
    exclusion = models.TextField("exclusion criteria", blank=True)
    example = models.TextField("typical example", blank=True)
    counter_example = models.TextField(blank=True)
    indicator_terms = models.TextField(
        blank=True, help_text="Words or phrases that point to this code, one per line."
    )
    notes = models.TextField(blank=True)
    grouping_only = models.BooleanField(
        default=False, help_text="A folder for other codes; it cannot be applied itself."
    )
    position = models.PositiveIntegerField(default=0)
    shortcut = models.CharField(max_length=1, blank=True, help_text="One key that applies it.")
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                "parent",
                Lower("name"),
                condition=Q(parent__isnull=False),
                name="code_name_unique_among_siblings",
            ),
            models.UniqueConstraint(
                "study",
                Lower("name"),
                condition=Q(parent__isnull=True),
                name="top_code_name_unique_in_study",
            ),
            models.UniqueConstraint(
                fields=["study", "shortcut"],
                condition=~Q(shortcut=""),
                name="code_shortcut_unique_in_study",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="code_name_not_empty"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="code_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = " ".join(self.name.split())
        if not self.name:
            raise ValidationError({"name": "A code needs a name."})
        if "/" in self.name:
            raise ValidationError({"name": "A code name cannot contain “/” (it separates paths)."})
        if self.parent_id and self.parent and self.parent.study_id != self.study_id:
            raise ValidationError({"parent": "The parent code belongs to another study."})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A code cannot be moved under itself."})
            ancestor = ancestor.parent

    @property
    def terms(self) -> list[str]:
        """Return the indicator terms, one per non-empty line."""
        return [term.strip() for term in self.indicator_terms.splitlines() if term.strip()]

    def path_in(self, codes_by_id: dict[int, "Code"]) -> str:
        """Build the full name ("Governance/Co-production") from a preloaded dict, no queries."""
        names = [self.name]
        parent_id = self.parent_id
        while parent_id is not None:
            parent = codes_by_id[parent_id]
            names.append(parent.name)
            parent_id = parent.parent_id
        return "/".join(reversed(names))

    @property
    def path(self) -> str:
        """Build the full name; one query per ancestor, so prefer ``path_in`` in lists."""
        names = [self.name]
        node = self.parent
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "/".join(reversed(names))

    def delete(self, *args, **kwargs):
        count = self.codings.count()
        if count:
            raise CodeInUse(
                f"“{self.name}” has {count} coding{'s' if count != 1 else ''}: "
                "merge it into another code, or delete those codings, before deleting it."
            )
        if self.children.exists():
            raise CodeInUse(f"“{self.name}” has sub-codes: move or delete them before deleting it.")
        return super().delete(*args, **kwargs)


class Origin(models.TextChoices):
    MANUAL = "manual", "Manual"
    SUGGESTION = "suggestion", "Accepted suggestion"
    CONSENSUS = "consensus", "Consensus"
    SEARCH = "search", "Auto-coded from a search"
    IMPORTED = "imported", "Imported"


class AnchorStatus(models.TextChoices):
    """How a coding survived corrections of its transcript."""

    OK = "ok", "On its passage"
    CHANGED = "changed", "Passage partly changed: review"
    LOST = "lost", "Passage deleted: re-attach or delete"


class CodingQuerySet(models.QuerySet):
    def anchored(self) -> "CodingQuerySet":
        """Leave out lost codings: every count, highlight, agreement and export uses this."""
        return self.exclude(anchor_status=AnchorStatus.LOST)

    def to_review(self) -> "CodingQuerySet":
        """Codings whose passage a correction changed or deleted."""
        return self.filter(anchor_status__in=[AnchorStatus.CHANGED, AnchorStatus.LOST])


class Coding(models.Model):
    """A coded passage: ``[start, end)`` in code points of the interview's text.

    A lost coding (its passage deleted by a correction) keeps a one-character
    placeholder span where the passage was, so the database checks still hold,
    and its old words in ``lost_quote``; ``Coding.objects.anchored()`` leaves it out.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="codings")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="codings"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField(help_text="The passage's text, copied when it was coded.")
    memo = models.TextField(blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    anchor_status = models.CharField(
        max_length=10, choices=AnchorStatus.choices, default=AnchorStatus.OK
    )
    lost_quote = models.TextField(
        blank=True,
        help_text="For a lost coding: the words it coded before they were deleted.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CodingQuerySet.as_manager()

    class Meta:
        ordering = ["interview", "start", "end", "pk"]
        indexes = [
            models.Index(fields=["interview", "coder", "start"], name="coding_by_interview_coder"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="coding_end_after_start"),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")), name="coding_quote_fits_offsets"
            ),
            # Only codings on their passage: lost ones share a placeholder span,
            # and two passages can collapse into one when a correction cuts both.
            models.UniqueConstraint(
                fields=["interview", "code", "coder", "start", "end"],
                condition=Q(anchor_status="ok") & ~Q(origin="consensus"),
                name="coding_not_repeated",
            ),
            # The consensus layer is one agreed version whoever settled it, and a
            # supervisor who also codes may settle on a passage they coded themselves.
            models.UniqueConstraint(
                fields=["interview", "code", "start", "end"],
                condition=Q(anchor_status="ok", origin="consensus"),
                name="consensus_coding_not_repeated",
            ),
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values), name="coding_origin_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} [{self.start}, {self.end})"

    def clean(self) -> None:
        if self.code_id and self.interview_id and self.code.study_id != self.interview.study_id:
            raise ValidationError("The code and the interview belong to different studies.")
        if self.code_id and self.code.grouping_only:
            raise ValidationError(f"“{self.code.name}” groups other codes and cannot be applied.")
        try:
            self.quote = self.interview.passage(self.start, self.end)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        if not self.quote.strip():
            raise ValidationError("The passage is empty or only white space.")


class Memo(models.Model):
    """Free text attached to a study, or to one of its interviews or codes."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memos")
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    code = models.ForeignKey(
        Code, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memos"
    )
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interview__isnull=True) | Q(code__isnull=True),
                name="memo_on_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60]


class ChangeKind(models.TextChoices):
    ADD = "add", "Added"
    EDIT = "edit", "Edited"
    MOVE = "move", "Moved"
    REORDER = "reorder", "Reordered"
    MERGE = "merge", "Merged"
    SPLIT = "split", "Split"
    DELETE = "delete", "Deleted"
    IMPORT = "import", "Imported"


class CodebookChange(models.Model):
    """One change to a study's codebook: who, when, what kind, and the entry before and after."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="codebook_changes")
    code = models.ForeignKey(
        Code, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    code_path = models.CharField(
        max_length=1000, help_text="The code's full name when it changed (kept after deletion)."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="codebook_changes",
    )
    created = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    summary = models.CharField(max_length=500, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["study", "-created"], name="codebook_change_by_study")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="codebook_change_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code_path}"


class CodebookVersion(models.Model):
    """A frozen, named snapshot of a study's whole codebook tree."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="codebook_versions")
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="codebook_versions",
    )
    created = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(help_text="Every code's entry, in tree order.")

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "study", Lower("name"), name="codebook_version_name_unique_in_study"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="codebook_version_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    OUTDATED = "outdated", "Out of date (transcript edited)"


class Suggester(models.TextChoices):
    TERMS = "terms", "Codebook terms"
    LEARNED = "learned", "Learned from codings"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SuggestionRun(models.Model):
    """One request to suggest codings for one coder, over one interview or the whole study."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="suggestion_runs")
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestion_runs"
    )
    suggester = models.CharField(max_length=10, choices=Suggester.choices)
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suggestion_runs",
        help_text="Whose suggestions these are (and, under blind coding, whose codings teach).",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
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

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="suggestions")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="suggestions")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
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
        SuggestionRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    coding = models.OneToOneField(
        Coding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestion",
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
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="suggestion_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="suggestion_score_0_to_1"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_known"
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

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="learned_models")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
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

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="suggestion_quality")
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

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="settlements")
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="settlements")
    # A code is deleted only without codings; its settlements go with it (a merge moves them).
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="settlements")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, help_text="The unit of analysis it was listed under.")
    choice = models.CharField(max_length=10, choices=SettlementChoice.choices)
    taken_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The coder whose coding was taken, when one coder's was.",
    )
    note = models.TextField(blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="settlements"
    )
    settled = models.DateTimeField(auto_now_add=True)
    consensus_codings = models.ManyToManyField(Coding, blank=True, related_name="settlements")

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


class SentenceCache(models.Model):
    """An interview's sentence spans, kept until its text changes (spaCy is slow)."""

    interview = models.OneToOneField(
        Interview, on_delete=models.CASCADE, related_name="sentence_cache"
    )
    text_hash = models.CharField(max_length=64)
    segmenter = models.CharField(max_length=100)
    spans = models.JSONField(help_text="[[start, end], ...] in code points, sorted.")
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{len(self.spans)} sentences of {self.interview}"


class CodingAction(models.Model):
    """One change a coder made to their codings on one interview, kept so it can be undone.

    ``before`` and ``after`` hold the coding's state (code, start, end, memo) or null when
    it did not exist; undoing restores ``before``, redoing restores ``after``.
    """

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="coding_actions"
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coding_actions"
    )
    coding_id = models.PositiveIntegerField(help_text="The coding changed; it may be deleted.")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    undone = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["interview", "coder", "undone"], name="coding_action_stack"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(before__isnull=False) | Q(after__isnull=False),
                name="coding_action_changes_something",
            ),
        ]

    def __str__(self) -> str:
        return f"coding {self.coding_id}: {self.before} → {self.after}"
