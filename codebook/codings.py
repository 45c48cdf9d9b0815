"""Creating, changing and deleting codings, each recorded so the coder can undo it."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction
from django.db.models.functions import Length, Substr
from django.utils import timezone

from codebook.models import (
    MEMO_MAX_LENGTH,
    AnchorStatus,
    Code,
    Coding,
    CodingAction,
    Origin,
    Suggestion,
    SuggestionStatus,
)
from codebook.page_revision import STALE_PAGE, check_revision
from codebook.passages import PassageRefused, trim_passage, trim_quote
from interviews.models import Interview

# The batch being recorded by ``one_step``: empty until its first change names it.
_batch: ContextVar[list[int] | None] = ContextVar("coding_batch", default=None)


class CodingRefused(Exception):
    """A change that was not made; its message says why, for the user."""


class StepDropped(CodingRefused):
    """An undo or redo step that could no longer be replayed, and was dropped from the log."""


CANNOT_REVERSE = (
    "This change cannot be reversed any more: the code or the passage has changed since. "
    "It was taken off the undo list, so the changes before it can still be undone."
)
CANNOT_REDO = (
    "This change cannot be made again: the code or the passage has changed since. "
    "It was taken off the redo list, with the changes undone after it."
)


def state_of(coding: Coding, suggestion_id: int | None = None) -> dict:
    """Return what undo needs to rebuild the coding.

    A coding that accepting a suggestion made names that suggestion (``suggestion_id``,
    or looked up): deleting the coding reopens the suggestion, and bringing the coding
    back by undo or redo accepts it again.
    """
    state = {
        "code": coding.code_id,
        "start": coding.start,
        "end": coding.end,
        "memo": coding.memo,
        "origin": coding.origin,
    }
    if coding.anchor_status != AnchorStatus.OK:
        # A lost coding comes back lost (a placeholder span and its old words), a
        # changed one still to review; codings on their passage keep the short state.
        state["anchor_status"] = coding.anchor_status
        state["lost_quote"] = coding.lost_quote
    if coding.origin == Origin.SUGGESTION:
        if suggestion_id is None:
            suggestion_id = (
                Suggestion.objects.filter(coding=coding).values_list("pk", flat=True).first()
            )
        if suggestion_id is not None:
            state["suggestion"] = suggestion_id
    return state


def apply_code(
    interview: Interview,
    coder,
    code: Code,
    start: int,
    end: int,
    origin: str = Origin.MANUAL,
    passage: str | None = None,
    suggestion_id: int | None = None,
    revision: int | None = None,
) -> tuple[Coding, bool]:
    """Code ``[start, end)`` (code points, trimmed of white space) and return (coding, created).

    An identical coding by the same coder is already done: it is returned, not repeated.
    ``origin`` says where the coding came from (an accepted suggestion, for instance).
    ``passage`` is the stored text's ``[start, end)`` when the caller has read it already.
    ``suggestion_id`` names the suggestion being accepted, for undo and redo.
    ``revision`` is the transcript revision the coder's page showed (``page_revision``).
    """
    _check_code(interview, code)
    try:
        start, end, quote = trim_quote(*_length_and_passage(interview, start, end, passage))
    except PassageRefused as error:
        raise CodingRefused(str(error)) from error
    try:
        with transaction.atomic():
            check_revision(interview.pk, revision)
            # The page cannot select a passage without spoken words, nor draw it.
            if refusal := unspoken_refusal(interview, start, end):
                raise CodingRefused(refusal)
            coding = Coding.objects.create(
                interview=interview,
                code=code,
                coder=coder,
                start=start,
                end=end,
                quote=quote,
                origin=origin,
            )
            _record(interview, coder, coding.pk, None, state_of(coding, suggestion_id))
    except IntegrityError as error:
        # Most often the same coding exists already (the database refuses repeats); look
        # only then, so that the usual case costs no extra query.
        existing = Coding.objects.filter(
            interview=interview, code=code, coder=coder, start=start, end=end
        ).first()
        if existing is not None:
            return existing, False
        raise CodingRefused("This passage could not be coded; please reload the page.") from error
    return coding, True


def unspoken_refusal(
    interview: Interview, start: int, end: int, subject: str = "This passage"
) -> str | None:
    """Say why ``[start, end)`` cannot be coded if it holds no spoken words; None if it does.

    Text outside every turn is a speaker's label or a timestamp, but for a transcription
    service's closing credit, which no one said either.
    """
    if interview.speaks_in(start, end):
        return None
    if interview.in_closing_credit(start, end):
        return (
            f"{subject} lies outside what anyone said: it is the transcription service’s "
            "closing credit, in no speaker’s turn. Select words that are said."
        )
    return f"{subject} holds only a speaker’s name or a timestamp: select words that are said."


def change_coding(
    coding: Coding, interview: Interview, coder, revision: int | None = None, **changes
) -> bool:
    """Change a coding's code, boundaries or memo; record the change for undo.

    Returns whether anything changed (nothing is recorded when nothing did).
    ``revision`` is the transcript revision the coder's page showed (``page_revision``).
    """
    before = state_of(coding)
    if "code" in changes:
        _check_code(interview, changes["code"])
        coding.code = changes["code"]
    if "start" in changes or "end" in changes:
        try:
            coding.start, coding.end = trim_passage(
                interview.text, changes.get("start", coding.start), changes.get("end", coding.end)
            )
        except PassageRefused as error:
            raise CodingRefused(str(error)) from error
        coding.quote = interview.text[coding.start : coding.end]
    if "memo" in changes:
        memo = changes["memo"].strip()
        if len(memo) > MEMO_MAX_LENGTH:
            raise CodingRefused(
                f"A coding's memo holds up to {MEMO_MAX_LENGTH:,} characters and this one has "
                f"{len(memo):,}. Nothing was saved: shorten it (it is still in the box), or "
                "keep the longer text in a memo of the interview or the code."
            )
        coding.memo = memo
    # A change keeps the coding's suggestion: name the one ``before`` found, not look again.
    after = state_of(coding, before.get("suggestion"))
    if after == before:
        return False
    try:
        with transaction.atomic():
            check_revision(interview.pk, revision, STALE_PAGE)
            coding.save()
            _record(interview, coder, coding.pk, before, after)
    except IntegrityError as error:
        raise CodingRefused(
            "You have already coded exactly this passage with this code."
        ) from error
    return True


def delete_coding(coding: Coding, interview: Interview, coder, revision: int | None = None) -> None:
    """Delete a coding; record it so that undo brings it back."""
    with transaction.atomic():
        check_revision(interview.pk, revision, STALE_PAGE)
        before = state_of(coding)
        coding_id = coding.pk
        coding.delete()
        _record(interview, coder, coding_id, before, None)


@contextmanager
def one_step():
    """Record every change made inside as one undo step (accepting all suggestions)."""
    token = _batch.set([])
    try:
        yield
    finally:
        _batch.reset(token)


def undo(interview: Interview, coder, revision: int | None = None) -> list[CodingAction]:
    """Reverse this coder's last step on this interview; [] when there is nothing left.

    Returns the changes reversed: one, or every change of a batch. A step that can no
    longer be reversed is dropped and StepDropped raised, so the one before it is next:
    left on top, it would stand in the way of every earlier step.
    """
    with transaction.atomic():
        check_revision(interview.pk, revision, STALE_PAGE)
        done = CodingAction.objects.filter(interview=interview, coder=coder, undone=False)
        actions = _next_step(done, newest=True)
        if not actions:
            return []
        if _replay(interview, coder, actions, "before", undone=True):
            return actions
        CodingAction.objects.filter(pk__in=[action.pk for action in actions]).delete()
    raise StepDropped(CANNOT_REVERSE)


def redo(interview: Interview, coder, revision: int | None = None) -> list[CodingAction]:
    """Reapply the step undone last; [] when there is nothing to redo.

    A step that can no longer be made again is dropped with the steps undone after it
    (they were made on top of it), and StepDropped raised.
    """
    with transaction.atomic():
        check_revision(interview.pk, revision, STALE_PAGE)
        undone = CodingAction.objects.filter(interview=interview, coder=coder, undone=True)
        actions = _next_step(undone, newest=False)
        if not actions:
            return []
        if _replay(interview, coder, actions, "after", undone=False):
            return actions
        undone.delete()
    raise StepDropped(CANNOT_REDO)


def _next_step(log, *, newest: bool) -> list[CodingAction]:
    """The changes of the step at one end of ``log``: one change, or every change of its
    batch, in the order they are replayed (newest first to undo, oldest first to redo)."""
    edge = log.order_by("-pk" if newest else "pk").first()
    if edge is None:
        return []
    actions = [edge] if edge.batch is None else list(log.filter(batch=edge.batch))
    actions.sort(key=lambda action: -action.pk if newest else action.pk)
    return actions


def forget_history_on_correction(sender, interview: Interview, **kwargs) -> dict:
    """Handle ``interviews.signals.transcript_corrected``: the interview's undo steps go.

    They hold positions in the old text, and replaying one would put a coding on other
    words of the new text. Re-anchoring moves codings, not these states; coders keep
    undo and redo for what they do after the correction.
    """
    deleted, _ = CodingAction.objects.filter(interview=interview).delete()
    return {"undo steps forgotten": deleted}


def history_depth(interview: Interview, coder) -> dict[str, int]:
    """Count the steps this coder can undo and redo here, a batch as one (one query)."""
    rows = CodingAction.objects.filter(interview=interview, coder=coder).values_list(
        "pk", "undone", "batch"
    )
    steps = {(undone, batch or -pk) for pk, undone, batch in rows.order_by()}
    undone = [flag for flag, _ in steps]
    return {"undo": undone.count(False), "redo": undone.count(True)}


def _length_and_passage(
    interview: Interview, start: int, end: int, passage: str | None = None
) -> tuple[int, int, int, str]:
    """Fetch the text's length and ``[start, end)`` only, so long transcripts cost no more.

    Uses the text already loaded when there is one (the in-vivo view needs it anyway), or
    the passage the caller read (``substr`` of the stored text, as here).
    """
    if "text" in interview.__dict__:
        return len(interview.text), start, end, interview.text[start:end]
    if end <= start:
        return 0, start, end, ""  # refused by trim_quote
    rows = Interview.objects.filter(pk=interview.pk)
    if end > 2**62:  # past any text, and past SQLite's integers: refused by trim_quote
        return rows.values_list(Length("text"), flat=True).get(), start, end, ""
    if passage is None:
        passage = rows.values_list(Substr("text", start + 1, end - start), flat=True).get() or ""
    if len(passage) == end - start:
        # The passage fits, so the text is at least ``end`` long: no need to count it all.
        return end, start, end, passage
    return rows.values_list(Length("text"), flat=True).get(), start, end, passage


def _check_code(interview: Interview, code: Code) -> None:
    if code.study_id != interview.study_id:
        raise CodingRefused("That code belongs to another study.")
    if code.grouping_only:
        raise CodingRefused(f"“{code.name}” groups other codes and cannot be applied itself.")


def record_step(interview: Interview, coder, coding_id: int, before: dict | None, after) -> None:
    """Record a change of the coder's own coding, made outside this module, as an undo step.

    ``before`` and ``after`` are ``state_of`` the coding (None: it did not exist); call it
    inside the change's transaction, as the changes above do.
    """
    _record(interview, coder, coding_id, before, after)


def _record(interview: Interview, coder, coding_id: int, before, after) -> None:
    # A new change makes the undone ones unreachable, as in any editor.
    CodingAction.objects.filter(interview=interview, coder=coder, undone=True).delete()
    batch = _batch.get()
    action = CodingAction.objects.create(
        interview=interview,
        coder=coder,
        coding_id=coding_id,
        before=before,
        after=after,
        batch=batch[0] if batch else None,
    )
    if batch == []:  # the first change of a batch names it
        batch.append(action.pk)
        action.batch = action.pk
        action.save(update_fields=["batch"])


def _replay(
    interview: Interview, coder, actions: list[CodingAction], state: str, undone: bool
) -> bool:
    """Restore each change's ``state`` ("before" or "after") and mark them.

    False, with nothing changed, when one of them cannot apply.
    """
    try:
        with transaction.atomic():
            for action in actions:
                _restore(interview, coder, action.coding_id, getattr(action, state))
            CodingAction.objects.filter(pk__in=[action.pk for action in actions]).update(
                undone=undone
            )
    except (IntegrityError, PassageRefused, CodingRefused, Code.DoesNotExist):
        return False
    return True


def _restore(interview: Interview, coder, coding_id: int, state: dict | None) -> None:
    coding = Coding.objects.filter(pk=coding_id, interview=interview, coder=coder).first()
    if state is None:
        if coding is not None:
            coding.delete()
        return
    code = Code.objects.get(pk=state["code"], study_id=interview.study_id)
    # The code may have become grouping-only since (it had no codings left then).
    _check_code(interview, code)
    status = state.get("anchor_status", AnchorStatus.OK)
    if status == AnchorStatus.LOST:
        # The placeholder span may be a space: trimming would refuse it. Steps are
        # forgotten on a correction, so it still lies where the state says.
        start, end = state["start"], state["end"]
        if not 0 <= start < end <= len(interview.text):
            raise PassageRefused("The passage no longer fits the transcript.")
    else:
        start, end = trim_passage(interview.text, state["start"], state["end"])
    if coding is None:
        coding = Coding(pk=coding_id, interview=interview, coder=coder)
    coding.code = code
    coding.start, coding.end = start, end
    coding.quote = interview.text[start:end]
    coding.memo = state["memo"]
    coding.origin = state.get("origin", Origin.MANUAL)
    coding.anchor_status = status
    coding.lost_quote = state.get("lost_quote", "")
    coding.save()
    if state.get("suggestion"):
        # The suggestion reopened (or went out of date) when this coding was deleted;
        # unless the coder has decided it otherwise since, it is accepted again, by this coding.
        Suggestion.objects.filter(
            pk=state["suggestion"],
            coder=coder,
            status__in=[SuggestionStatus.OPEN, SuggestionStatus.OUTDATED],
        ).update(status=SuggestionStatus.ACCEPTED, decided=timezone.now(), coding=coding)
