"""Creating, changing and deleting codings, each recorded so the coder can undo it."""

from django.db import IntegrityError, transaction
from django.db.models.functions import Length, Substr
from django.utils import timezone

from codebook.models import Code, Coding, CodingAction, Origin, Suggestion, SuggestionStatus
from codebook.page_revision import check_revision
from codebook.passages import PassageRefused, trim_passage, trim_quote
from interviews.models import Interview


class CodingRefused(Exception):
    """A change that was not made; its message says why, for the user."""


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
            if not interview.speaks_in(start, end):
                # The page cannot select such a passage, nor draw it.
                raise CodingRefused(
                    "This passage holds only a speaker’s name or a timestamp: "
                    "select words that are said."
                )
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


def change_coding(coding: Coding, interview: Interview, coder, **changes) -> bool:
    """Change a coding's code, boundaries or memo; record the change for undo.

    Returns whether anything changed (nothing is recorded when nothing did).
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
        coding.memo = changes["memo"].strip()
    # A change keeps the coding's suggestion: name the one ``before`` found, not look again.
    after = state_of(coding, before.get("suggestion"))
    if after == before:
        return False
    try:
        with transaction.atomic():
            coding.save()
            _record(interview, coder, coding.pk, before, after)
    except IntegrityError as error:
        raise CodingRefused(
            "You have already coded exactly this passage with this code."
        ) from error
    return True


def delete_coding(coding: Coding, interview: Interview, coder) -> None:
    """Delete a coding; record it so that undo brings it back."""
    with transaction.atomic():
        before = state_of(coding)
        coding_id = coding.pk
        coding.delete()
        _record(interview, coder, coding_id, before, None)


def undo(interview: Interview, coder) -> CodingAction | None:
    """Reverse this coder's last change on this interview; None when there is nothing left."""
    action = (
        CodingAction.objects.filter(interview=interview, coder=coder, undone=False)
        .order_by("-pk")
        .first()
    )
    if action is not None:
        _replay(interview, coder, action, action.before, undone=True)
    return action


def redo(interview: Interview, coder) -> CodingAction | None:
    """Reapply the change undone last; None when there is nothing to redo."""
    action = (
        CodingAction.objects.filter(interview=interview, coder=coder, undone=True)
        .order_by("pk")
        .first()
    )
    if action is not None:
        _replay(interview, coder, action, action.after, undone=False)
    return action


def forget_history_on_correction(sender, interview: Interview, **kwargs) -> dict:
    """Handle ``interviews.signals.transcript_corrected``: the interview's undo steps go.

    They hold positions in the old text, and replaying one would put a coding on other
    words of the new text. Re-anchoring moves codings, not these states; coders keep
    undo and redo for what they do after the correction.
    """
    deleted, _ = CodingAction.objects.filter(interview=interview).delete()
    return {"undo steps forgotten": deleted}


def history_depth(interview: Interview, coder) -> dict[str, int]:
    """Count the changes this coder can undo and redo here (one query)."""
    rows = (
        CodingAction.objects.filter(interview=interview, coder=coder)
        .values_list("undone", flat=True)
        .order_by()
    )
    undone = list(rows)
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


def _record(interview: Interview, coder, coding_id: int, before, after) -> None:
    # A new change makes the undone ones unreachable, as in any editor.
    CodingAction.objects.filter(interview=interview, coder=coder, undone=True).delete()
    CodingAction.objects.create(
        interview=interview, coder=coder, coding_id=coding_id, before=before, after=after
    )


def _replay(interview: Interview, coder, action: CodingAction, state, undone: bool) -> None:
    try:
        with transaction.atomic():
            _restore(interview, coder, action.coding_id, state)
            action.undone = undone
            action.save(update_fields=["undone"])
    except (IntegrityError, PassageRefused, Code.DoesNotExist) as error:
        raise CodingRefused(
            "This change cannot be reversed any more: the code or the passage has changed since."
        ) from error


def _restore(interview: Interview, coder, coding_id: int, state: dict | None) -> None:
    coding = Coding.objects.filter(pk=coding_id, interview=interview, coder=coder).first()
    if state is None:
        if coding is not None:
            coding.delete()
        return
    code = Code.objects.get(pk=state["code"], study_id=interview.study_id)
    start, end = trim_passage(interview.text, state["start"], state["end"])
    if coding is None:
        coding = Coding(pk=coding_id, interview=interview, coder=coder)
    coding.code = code
    coding.start, coding.end = start, end
    coding.quote = interview.text[start:end]
    coding.memo = state["memo"]
    coding.origin = state.get("origin", Origin.MANUAL)
    coding.save()
    if state.get("suggestion"):
        # The suggestion reopened (or went out of date) when this coding was deleted;
        # unless the coder has decided it otherwise since, it is accepted again, by this coding.
        Suggestion.objects.filter(
            pk=state["suggestion"],
            coder=coder,
            status__in=[SuggestionStatus.OPEN, SuggestionStatus.OUTDATED],
        ).update(status=SuggestionStatus.ACCEPTED, decided=timezone.now(), coding=coding)
