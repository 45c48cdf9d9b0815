"""Codes, codings, memos and the workbench's undo log."""

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

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="codes")
    # PROTECT in the database (see interviews.models); delete() explains the refusal.
    parent = models.ForeignKey(
        "self", on_delete=models.DO_NOTHING, null=True, blank=True, related_name="children"
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


# A coding's memo is a note on one passage; longer thinking belongs in a memo of the
# interview or the code. The workbench refuses a longer one with a message (codings.py).
# Not a database check: merging codes joins the memos of the codings that fall together,
# and REFI-QDA imports and backups bring what other tools allowed.
MEMO_MAX_LENGTH = 10_000


class Coding(models.Model):
    """A coded passage: ``[start, end)`` in code points of the interview's text.

    A lost coding (its passage deleted by a correction) keeps a one-character
    placeholder span where the passage was, so the database checks still hold,
    and its old words in ``lost_quote``; ``Coding.objects.anchored()`` leaves it out.
    """

    interview = models.ForeignKey(
        Interview, on_delete=models.DB_CASCADE, related_name="codings", db_index=False
    )
    # The database refuses to delete a code or a coder that has codings (see
    # interviews.models); Code.delete() explains the refusal first.
    code = models.ForeignKey(Code, on_delete=models.DO_NOTHING, related_name="codings")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="codings"
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
            # An interview's codings in export order, without a sort; it also serves the
            # foreign key (deleting an interview), so the column has no index of its own.
            models.Index(
                fields=["interview", "start", "end", "id"], name="coding_in_passage_order"
            ),
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

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="memos")
    interview = models.ForeignKey(
        Interview, on_delete=models.DB_CASCADE, null=True, blank=True, related_name="memos"
    )
    code = models.ForeignKey(
        Code, on_delete=models.DB_CASCADE, null=True, blank=True, related_name="memos"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="memos"
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


class CodingAction(models.Model):
    """One change a coder made to their codings on one interview, kept so it can be undone.

    ``before`` and ``after`` hold the coding's state (code, start, end, memo) or null when
    it did not exist; undoing restores ``before``, redoing restores ``after``. Changes
    with the same ``batch`` (the id of its first change) are one step: accepting all
    suggestions is undone at once.
    """

    interview = models.ForeignKey(
        Interview, on_delete=models.DB_CASCADE, related_name="coding_actions"
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="coding_actions"
    )
    coding_id = models.PositiveIntegerField(help_text="The coding changed; it may be deleted.")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    undone = models.BooleanField(default=False)
    batch = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The first change of the step this one belongs to."
    )
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
