"""Settle a disagreement into the consensus layer and record who chose what."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from codebook.models import Code, Coding, Origin, Settlement, SettlementChoice
from codebook.page_revision import check_revision
from codebook.passages import PassageRefused
from codebook.suggestion_runs import codings_added
from interviews.models import Interview


def _merged(spans: list[tuple]) -> list[tuple]:
    merged: list[list] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def consensus_spans(
    coders_codings: dict, choice: str, taken_from=None, edited: tuple | None = None
) -> list[tuple]:
    """Return the passages the consensus layer gets for a choice.

    ``coders_codings`` maps each coder to their ``(start, end)`` of the code in the
    disagreement; overlapping passages are merged into one consensus coding.
    """
    if choice == SettlementChoice.CODER:
        return _merged(list(coders_codings.get(taken_from, [])))
    if choice == SettlementChoice.BOTH:
        return _merged([span for spans in coders_codings.values() for span in spans])
    if choice == SettlementChoice.EDITED:
        return [edited]
    return []


def settle_disagreement(
    *,
    interview: Interview,
    code: Code,
    span: tuple[int, int],
    unit: str,
    coders: Sequence,
    choice: str,
    taken_from=None,
    edited: tuple[int, int] | None = None,
    note: str = "",
    user,
    revision: int | None = None,
) -> Settlement:
    """Replace the consensus codings of ``code`` in ``span`` with the chosen ones, atomically.

    ``coders`` are the user ids compared; raises ValidationError for an edited
    passage outside the transcript or of white space only, and when the transcript
    is no longer at ``revision``, the one the settling page showed.
    """
    start, end = span
    if choice == SettlementChoice.EDITED:
        if edited is None:
            raise ValidationError("Give the edited passage's start and end.")
        try:
            quote = interview.passage(*edited)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        if not quote.strip():
            raise ValidationError("The edited passage is empty or only white space.")
    with transaction.atomic():
        try:
            check_revision(interview.pk, revision)
        except PassageRefused as error:
            raise ValidationError(str(error)) from error
        existing = Coding.objects.anchored().filter(
            interview=interview, code=code, start__lt=end, end__gt=start
        )
        coders_codings: dict = {coder: [] for coder in coders}
        for coder, s, e in (
            existing.filter(coder_id__in=list(coders))
            .exclude(origin=Origin.CONSENSUS)
            .values_list("coder_id", "start", "end")
        ):
            coders_codings[coder].append((s, e))
        spans = consensus_spans(coders_codings, choice, taken_from, edited)
        replaced = Coding.objects.filter(interview=interview, code=code, origin=Origin.CONSENSUS)
        overlapping = replaced.filter(start__lt=end, end__gt=start)
        for s, e in spans:
            overlapping = overlapping | replaced.filter(start__lt=e, end__gt=s)
        overlapping.delete()
        created = Coding.objects.bulk_create(
            [
                Coding(
                    interview=interview,
                    code=code,
                    coder=user,
                    start=s,
                    end=e,
                    quote=interview.text[s:e],
                    origin=Origin.CONSENSUS,
                    memo=note,
                )
                for s, e in spans
            ]
        )
        settlement = Settlement.objects.create(
            study_id=interview.study_id,
            interview=interview,
            code=code,
            start=start,
            end=end,
            unit=unit,
            choice=choice,
            taken_from_id=taken_from if choice == SettlementChoice.CODER else None,
            note=note,
            settled_by=user,
        )
        if created:
            # bulk_create sends no post_save: tell the learned suggester itself.
            codings_added(interview.study_id, user.pk, Origin.CONSENSUS, len(created))
            # bulk_create sets primary keys on PostgreSQL and SQLite >= 3.35 only.
            settlement.consensus_codings.set(
                Coding.objects.filter(
                    interview=interview,
                    code=code,
                    origin=Origin.CONSENSUS,
                    start__in=[s for s, _ in spans],
                )
            )
    return settlement
