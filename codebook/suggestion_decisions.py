"""What a coder does with suggestions: accept (as they are or adjusted), reject, accept many.

Accepting goes through ``codings.apply_code``, the function the workbench codes with, so an
accepted suggestion is an ordinary coding by that coder (origin "suggestion", undoable) that
links back to the suggestion. Undoing or deleting that coding opens the suggestion again
(a database trigger, ``codebook/db_triggers.py``), for the coder to reconsider; redo accepts it
again. A rejection stays on record so the same passage and code is not suggested to that
coder again.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from codebook import codings
from codebook.models import Code, Coding, Origin, Suggestion, SuggestionStatus
from codebook.page_revision import check_revision
from interviews.models import Interview


class SuggestionRefused(Exception):
    """A decision that was not made; its message says why, for the user."""


def open_suggestions(interview: Interview, coder) -> QuerySet[Suggestion]:
    """Return the coder's open suggestions on the interview, best first within a passage."""
    return Suggestion.objects.filter(
        interview=interview, coder=coder, status=SuggestionStatus.OPEN
    ).order_by("start", "-score", "pk")


def accept_suggestion(
    suggestion: Suggestion,
    interview: Interview,
    coder,
    start: int | None = None,
    end: int | None = None,
    revision: int | None = None,
) -> Coding:
    """Turn the suggestion into the coder's coding, at its passage or at ``[start, end)``.

    ``revision``: the transcript revision the coder's page showed (``page_revision``).
    """
    _check_open(suggestion, coder)
    start = suggestion.start if start is None else start
    end = suggestion.end if end is None else end
    with transaction.atomic():
        coding, _ = codings.apply_code(
            interview,
            coder,
            suggestion.code,
            start,
            end,
            origin=Origin.SUGGESTION,
            suggestion_id=suggestion.pk,
            revision=revision,
        )
        suggestion.status = SuggestionStatus.ACCEPTED
        suggestion.decided = timezone.now()
        # A coding that existed before (the coder coded it by hand) keeps its own origin
        # and may already answer another suggestion; link only a free one.
        if not Suggestion.objects.filter(coding=coding).exists():
            suggestion.coding = coding
        suggestion.save(update_fields=["status", "decided", "coding"])
    return coding


def reject_suggestion(suggestion: Suggestion, coder) -> None:
    """Reject the suggestion; this passage and code will not be suggested to the coder again."""
    _check_open(suggestion, coder)
    suggestion.status = SuggestionStatus.REJECTED
    suggestion.decided = timezone.now()
    with transaction.atomic():
        suggestion.save(update_fields=["status", "decided"])


def accept_all(
    interview: Interview,
    coder,
    code: Code,
    min_score: float,
    revision: int | None = None,
    listed: list[int] | None = None,
) -> list[Coding]:
    """Accept every open suggestion of ``code`` scoring ``min_score`` or more, all or none.

    ``listed``: the suggestions the coder's list showed; only those are accepted (the list
    stops at a limit, and a run may have added others since). The codings are one undo
    step: one undo takes back what one press accepted.
    """
    chosen = open_suggestions(interview, coder).filter(code=code, score__gte=min_score)
    if listed is not None:
        chosen = chosen.filter(pk__in=listed)
    chosen = list(chosen.select_related("code"))
    with transaction.atomic(), codings.one_step():
        check_revision(interview.pk, revision)
        return [accept_suggestion(s, interview, coder) for s in chosen]


def mark_out_of_date(interview: Interview) -> int:
    """Mark the interview's open suggestions out of date (its text changed); return how many."""
    with transaction.atomic():
        return Suggestion.objects.filter(
            Q(interview=interview) & Q(status=SuggestionStatus.OPEN)
        ).update(status=SuggestionStatus.OUTDATED)


def _check_open(suggestion: Suggestion, coder) -> None:
    if suggestion.coder_id != coder.pk:
        raise SuggestionRefused("This suggestion was made for another coder.")
    if suggestion.status == SuggestionStatus.OUTDATED:
        raise SuggestionRefused(
            "This suggestion is out of date: the transcript was corrected since it was made. "
            "Reload the page, and run Suggest again for suggestions in the new text."
        )
    if suggestion.status != SuggestionStatus.OPEN:
        raise SuggestionRefused(
            f"This suggestion is already {suggestion.get_status_display().lower()}."
        )


def outdate_on_correction(sender, interview: Interview, **kwargs) -> dict:
    """Handle ``interviews.signals.transcript_corrected``: open suggestions no longer fit."""
    return {"suggestions out of date": mark_out_of_date(interview)}
