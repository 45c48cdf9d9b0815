"""What is said: studies and their members, participants, interviews and turns.

A study's rows are deleted by the database: every reference between them is
database-level (``DB_CASCADE``, ``DB_SET_NULL``), so deleting a study, an
interview or a million codings is one statement, not Django loading each row
(its one SET NULL over a million codings overflowed SQLite's variable limit).
Django forbids mixing database- and Python-level ``on_delete`` along a chain of
references, or within one model, so where a reference was ``PROTECT`` it is
``DO_NOTHING``: the foreign key makes the database refuse the delete (checked at
commit). References to users follow the same rule.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.urls import reverse

from interviews.importing.turns import closing_credit_span
from interviews.text import normalise_text


class Role(models.TextChoices):
    """A member's role in one study; its methods answer every permission question."""

    OWNER = "owner", "Owner"
    SUPERVISOR = "supervisor", "Supervisor"
    CODER = "coder", "Coder"
    VIEWER = "viewer", "Viewer"

    def can_code(self) -> bool:
        return self in (Role.OWNER, Role.SUPERVISOR, Role.CODER)

    def can_review(self) -> bool:
        """Supervise: see every coder's work, agreement, and settle disagreements."""
        return self in (Role.OWNER, Role.SUPERVISOR)

    def can_import(self) -> bool:
        """Upload, correct and delete transcripts and participants."""
        return self in (Role.OWNER, Role.SUPERVISOR)

    def can_manage(self) -> bool:
        """Change the study's settings and members, lift blind coding."""
        return self == Role.OWNER

    def can_reshape_codebook(self) -> bool:
        """Rename, move, merge, split and delete codes."""
        return self in (Role.OWNER, Role.SUPERVISOR)

    def can_add_codes(self, study: "Study") -> bool:
        return self.can_reshape_codebook() or (self == Role.CODER and study.open_coding)

    def sees_other_coders(self, study: "Study") -> bool:
        """Whether this member may see codings, counts and figures of other coders.

        Blind coding keeps coders independent of each other; a viewer codes
        nothing, so reading everyone's work cannot bias them.
        """
        return self != Role.CODER or not study.blind_coding


class Study(models.Model):
    """A research project: its interviews, codebook, coders and settings."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=50, unique=True, help_text="Short name used in addresses and commands."
    )
    description = models.TextField(blank=True)
    blind_coding = models.BooleanField(
        default=True, help_text="Coders see only their own codings and no agreement figures."
    )
    open_coding = models.BooleanField(
        default=False, help_text="Coders may add new codes to the codebook."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="studies"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "studies"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("study-detail", args=[self.slug])

    def role_of(self, user) -> Role | None:
        """Return the user's role in this study, or None for a stranger."""
        if not user.is_authenticated:
            return None
        membership = self.memberships.filter(user=user).first()
        return Role(membership.role) if membership else None


class Membership(models.Model):
    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CODER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study", "user"], name="one_membership_per_study"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.study}"


class Participant(models.Model):
    """A case: one person interviewed, with free attributes for comparison."""

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="participants")
    label = models.CharField(
        max_length=100, help_text='How the study names them, e.g. "Manager A".'
    )
    role = models.CharField(max_length=200, blank=True, help_text="Their position, in words.")
    organisation = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(
                "study", Lower("label"), name="participant_label_unique_in_study"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ParticipantAttribute(models.Model):
    """One attribute of a participant (sector, organisation size, years in post...)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.DB_CASCADE, related_name="attributes"
    )
    name = models.CharField(max_length=100)
    value = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Age" and "age" are one attribute: the upload matches names without case.
            models.UniqueConstraint(
                "participant", Lower("name"), name="attribute_name_unique_per_participant_any_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class Interview(models.Model):
    """One transcript; its text is stored once, normalised, and every offset points into it."""

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="interviews")
    # The database refuses to delete a participant who still has interviews (DO_NOTHING
    # leaves it to the constraint: rows that reference codings must be database-level).
    participant = models.ForeignKey(
        Participant,
        on_delete=models.DO_NOTHING,
        related_name="interviews",
        null=True,
        blank=True,
    )
    title = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=10, default="en")
    source_filename = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    text_length = models.PositiveIntegerField(
        default=0, editable=False, help_text="Code points in the text; set on every save."
    )
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(
        default=1, help_text="Goes up with each saved correction; refuses stale edits."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["study", "title"], name="interview_title_unique"),
            # The codings' end-within-text trigger reads this number instead of
            # counting the characters of the whole text for every coding written.
            models.CheckConstraint(
                condition=Q(text_length=Length("text")), name="interview_text_length_true"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.text = normalise_text(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "text_length"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("workbench", args=[self.study.slug, self.pk])

    def passage(self, start: int, end: int) -> str:
        """Return the text of ``[start, end)`` in code points; raise ValueError when outside."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(
                f"passage [{start}, {end}) is outside the transcript (0 to {len(self.text)})"
            )
        return self.text[start:end]

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def spoken_spans(self) -> list[tuple[int, int]]:
        """Return ``[start, end)`` of each turn's spoken text, in order (one query).

        Speaker labels and timestamps lie between them. An interview without turns is
        spoken text from end to end (``text_length``).
        """
        spans = list(self.turns.order_by("start").values_list("start", "end"))
        return spans or [(0, self.text_length)]

    def speaks_in(self, start: int, end: int) -> bool:
        """Say whether ``[start, end)`` holds spoken text, not only labels (one or two queries)."""
        # Turns do not overlap, so the last non-empty turn that starts before ``end`` is
        # the only one that can reach past ``start``.
        last_end = (
            self.turns.filter(start__lt=end, end__gt=F("start"))
            .order_by("-start")
            .values_list("end", flat=True)
            .first()
        )
        if last_end is not None:
            return last_end > start
        return not self.turns.exists()

    def in_closing_credit(self, start: int, end: int) -> bool:
        """Say whether ``[start, end)`` reaches into a transcription service's closing credit.

        Such a credit ("Transcribed by https://otter.ai") is kept in the text but belongs to
        no turn. Reads the whole text: meant for refusing a passage, not for every request.
        """
        credit = closing_credit_span(self.text)
        return credit is not None and start < credit[1] and end > credit[0]


class SpeakerRole(models.TextChoices):
    INTERVIEWER = "interviewer", "Interviewer"
    PARTICIPANT = "participant", "Participant"
    OTHER = "", "Other or unknown"


class Turn(models.Model):
    """A speaker turn: ``[start, end)`` of the spoken text, derived from the transcript."""

    interview = models.ForeignKey(Interview, on_delete=models.DB_CASCADE, related_name="turns")
    speaker = models.CharField(max_length=100, blank=True)
    speaker_role = models.CharField(
        max_length=20, choices=SpeakerRole.choices, blank=True, default=SpeakerRole.OTHER
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    timestamp = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds from the start of the recording."
    )

    class Meta:
        ordering = ["interview", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="turn_end_after_start"
            ),
            models.UniqueConstraint(fields=["interview", "start"], name="turn_start_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker or 'Paragraph'} [{self.start}, {self.end})"

    @property
    def timestamp_display(self) -> str:
        if self.timestamp is None:
            return ""
        hours, rest = divmod(self.timestamp, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


class InterviewRevision(models.Model):
    """One saved correction of a transcript: who, when, and the text before and after."""

    interview = models.ForeignKey(Interview, on_delete=models.DB_CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="The interview's revision this one produced.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="interview_revisions"
    )
    created = models.DateTimeField(auto_now_add=True)
    old_text = models.TextField()
    new_text = models.TextField()

    class Meta:
        ordering = ["interview", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "number"], name="interview_revision_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interview} revision {self.number}"


class PendingImport(models.Model):
    """An uploaded transcript read and awaiting its preview's decisions; not yet an interview.

    The text is kept here, server-side, between the upload and the save, so the
    browser never sends the transcript back. ``turns`` holds the current turns as
    ``[speaker or null, start, end, timestamp or null]`` lists; ``speaker_roles``
    maps a speaker name to a ``SpeakerRole`` value.
    """

    study = models.ForeignKey(Study, on_delete=models.DB_CASCADE, related_name="pending_imports")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="pending_imports"
    )
    filename = models.CharField(max_length=255)
    text = models.TextField()
    cues = models.JSONField(null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    turns = models.JSONField(default=list)
    speaker_roles = models.JSONField(default=dict, blank=True)
    detect_speakers = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.filename


def count_text_length(sender, instance: Interview, **kwargs) -> None:
    """Keep ``text_length`` true on every save, raw ones (restores, imports) included."""
    instance.text_length = len(instance.text)
