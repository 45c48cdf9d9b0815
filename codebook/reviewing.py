"""Settle codings that a transcript correction changed or lost."""

from django.db import IntegrityError, transaction

from codebook.codings import record_step, state_of
from codebook.models import AnchorStatus, Coding
from codebook.page_revision import check_revision


class CannotReattach(ValueError):
    """The new passage is not usable; ``str()`` says why."""


def find_passage(text: str, words: str) -> tuple[int, int]:
    """Return the offsets of ``words`` in ``text``; it must occur exactly once."""
    words = words.strip()
    if not words:
        raise CannotReattach("type the words of the new passage")
    count = text.count(words)
    if count == 0:
        raise CannotReattach("those words are not in the transcript")
    if count > 1:
        raise CannotReattach(
            f"those words occur {count} times in the transcript: type more of them"
        )
    start = text.index(words)
    return start, start + len(words)


def reattach(coding: Coding, start: int, end: int, revision: int | None = None, *, by=None) -> bool:
    """Put a changed or lost coding on a new passage of its transcript and mark it settled.

    ``revision``: the transcript revision the page showed; a later one refuses the
    passage (``page_revision.check_revision`` raises PassageRefused). Returns whether
    the change is an undo step on the interview's page: when ``by`` is the coding's coder.
    """
    text = coding.interview.text
    if not 0 <= start < end <= len(text):
        raise CannotReattach(f"the passage must lie between 0 and {len(text)}")
    if not text[start:end].strip():
        raise CannotReattach("the passage is empty or only white space")
    before = state_of(coding)
    coding.start, coding.end, coding.quote = start, end, text[start:end]
    return _settle(
        coding,
        ["start", "end", "quote", "anchor_status", "lost_quote", "updated"],
        before,
        revision,
        by,
    )


def accept(coding: Coding, *, by=None) -> bool:
    """Accept a changed coding's surviving passage as it is; undoable as ``reattach`` is."""
    if coding.anchor_status != AnchorStatus.CHANGED:
        raise CannotReattach("only a partly changed coding can be accepted as it is")
    return _settle(coding, ["anchor_status", "lost_quote", "updated"], state_of(coding), None, by)


def _settle(coding: Coding, fields: list[str], before: dict, revision: int | None, by) -> bool:
    coding.anchor_status = AnchorStatus.OK
    coding.lost_quote = ""
    # The undo log is the coder's own, of their own changes: a supervisor settling
    # someone else's coding has no step to write (the coder's Ctrl+Z would undo the
    # supervisor's decision, and their redo list would go), as with deleting one.
    undoable = by is not None and by.pk == coding.coder_id
    try:
        with transaction.atomic():
            check_revision(coding.interview_id, revision)
            coding.save(update_fields=fields)
            if undoable:
                after = state_of(coding, before.get("suggestion"))
                record_step(coding.interview, by, coding.pk, before, after)
    except IntegrityError:
        raise CannotReattach(
            "the same code by the same coder is already on that passage: delete this coding"
        ) from None
    return undoable
