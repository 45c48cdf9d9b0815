"""How the codebook changed: every change, and frozen versions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from codebook.models.coding import Code
from interviews.models import Study


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

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="codebook_changes")
    code = models.ForeignKey(
        Code, on_delete=models.DB_SET_NULL, null=True, blank=True, related_name="changes"
    )
    code_path = models.CharField(
        max_length=1000, help_text="The code's full name when it changed (kept after deletion)."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_SET_NULL,
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

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="codebook_versions")
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_SET_NULL,
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
