"""Settle codings that a transcript correction changed or lost."""

from django.db import IntegrityError, transaction

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


def reattach(coding: Coding, start: int, end: int, revision: int | None = None) -> None:
    """Put a changed or lost coding on a new passage of its transcript and mark it settled.

    ``revision``: the transcript revision the page showed; a later one refuses the
    passage (``page_revision.check_revision`` raises PassageRefused).
    """
    text = coding.interview.text
    if not 0 <= start < end <= len(text):
        raise CannotReattach(f"the passage must lie between 0 and {len(text)}")
    if not text[start:end].strip():
        raise CannotReattach("the passage is empty or only white space")
    coding.start, coding.end, coding.quote = start, end, text[start:end]
    _settle(coding, ["start", "end", "quote", "anchor_status", "lost_quote", "updated"], revision)


def accept(coding: Coding) -> None:
    """Accept a changed coding's surviving passage as it is."""
    if coding.anchor_status != AnchorStatus.CHANGED:
        raise CannotReattach("only a partly changed coding can be accepted as it is")
    _settle(coding, ["anchor_status", "lost_quote", "updated"])


def _settle(coding: Coding, fields: list[str], revision: int | None = None) -> None:
    coding.anchor_status = AnchorStatus.OK
    coding.lost_quote = ""
    try:
        with transaction.atomic():
            check_revision(coding.interview_id, revision)
            coding.save(update_fields=fields)
    except IntegrityError:
        raise CannotReattach(
            "the same code by the same coder is already on that passage: delete this coding"
        ) from None
