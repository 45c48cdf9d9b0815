"""Settle a disagreement into the consensus layer and record who chose what.

A settlement decides its own span and nothing else: consensus codings of the code that reach
past the span keep their parts outside it, and a chosen passage that meets a kept part
(overlapping it, or with only white space between) joins it into one consensus coding.
"""

import hashlib
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from codebook.codings import unspoken_refusal
from codebook.models import Code, Coding, Origin, Settlement, SettlementChoice, SettlementCoding
from codebook.page_revision import check_revision
from codebook.passages import PassageRefused, trim_passage
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


def coders_codings_in(interview: Interview, code: Code, span: tuple[int, int], coders) -> dict:
    """Map each compared coder to the ``(start, end)`` of their codings of ``code`` in ``span``."""
    start, end = span
    coders_codings: dict = {coder: [] for coder in coders}
    for coder, s, e in (
        Coding.objects.anchored()
        .filter(interview=interview, code=code, start__lt=end, end__gt=start)
        .filter(coder_id__in=list(coders))
        .exclude(origin=Origin.CONSENSUS)
        .order_by("coder_id", "start", "end")
        .values_list("coder_id", "start", "end")
    ):
        coders_codings[coder].append((s, e))
    return coders_codings


def fingerprint(coders_codings: dict) -> str:
    """A short mark of the coders' codings a settling page showed, to notice them change."""
    text = repr(sorted((str(coder), sorted(spans)) for coder, spans in coders_codings.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


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


def _meets(text: str, first_end: int, second_start: int) -> bool:
    """Whether two passages overlap or only white space lies between them."""
    return second_start <= first_end or not text[first_end:second_start].strip()


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    try:
        return trim_passage(text, start, end)
    except PassageRefused:
        return None


def reshape_consensus(
    text: str,
    existing: Sequence[tuple[int, int, int]],
    span: tuple[int, int],
    chosen: Sequence[tuple[int, int]],
) -> tuple[dict[int, list[tuple[int, int]]], list[tuple[int, int, list[int]]]]:
    """Plan the consensus layer of one code after settling ``span`` with ``chosen`` passages.

    ``existing`` are the code's consensus codings as ``(id, start, end)``. Returns
    ``(kept, joined)``: ``kept`` maps each coding that changes to the parts of it that stay
    (none: it goes), and ``joined`` lists the new consensus codings as ``(start, end, ids)``,
    each a chosen passage with the kept parts it meets, ``ids`` being their codings.
    """
    start, end = span
    parts: list[tuple[int, int, int | None]] = []
    kept: dict[int, list[tuple[int, int]]] = {}
    for coding_id, s, e in existing:
        if s < end and e > start:
            kept[coding_id] = []
            outside = [(s, min(e, start)), (max(s, end), e)]
            for part in filter(None, (_trimmed(text, a, b) for a, b in outside if a < b)):
                parts.append((*part, coding_id))
        else:
            parts.append((s, e, coding_id))
    parts.extend((s, e, None) for s, e in chosen)
    parts.sort(key=lambda part: (part[0], part[1]))

    groups: list[list[tuple[int, int, int | None]]] = []
    for part in parts:
        if groups and _meets(text, max(p[1] for p in groups[-1]), part[0]):
            groups[-1].append(part)
        else:
            groups.append([part])

    joined = []
    for group in groups:
        if all(coding_id is not None for _, _, coding_id in group):
            for s, e, coding_id in group:
                if coding_id in kept:
                    kept[coding_id].append((s, e))
            continue
        ids = sorted({coding_id for _, _, coding_id in group if coding_id is not None})
        for coding_id in ids:
            kept.setdefault(coding_id, [])
        joined.append((group[0][0], max(e for _, e, _ in group), ids))
    return kept, joined


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
    seen: str | None = None,
) -> Settlement:
    """Settle ``code`` in ``span`` with the chosen passages, atomically.

    ``coders`` are the user ids compared; raises ValidationError for an edited
    passage outside the transcript, of white space only or away from the span, when
    the transcript is no longer at ``revision``, the one the settling page showed, and
    when the coders' codings there no longer match ``seen`` (their ``fingerprint``).
    """
    start, end = span
    if choice == SettlementChoice.EDITED:
        edited = _edited_passage(interview.text, span, edited)
        _check_spoken(interview, edited)
    with transaction.atomic():
        try:
            check_revision(interview.pk, revision)
        except PassageRefused as error:
            raise ValidationError(str(error)) from error
        coders_codings = coders_codings_in(interview, code, span, coders)
        if seen and seen != fingerprint(coders_codings):
            # "Take coder1's coding" means the one on the page, not one moved since.
            raise ValidationError(
                "The coders' codings of this passage changed after you opened the page "
                "(a coder added, moved or deleted one): look at them again below, then settle."
            )
        chosen = consensus_spans(coders_codings, choice, taken_from, edited)
        consensus = Coding.objects.anchored().filter(
            interview=interview, code=code, origin=Origin.CONSENSUS
        )
        kept, joined = reshape_consensus(
            interview.text, list(consensus.values_list("pk", "start", "end")), span, chosen
        )
        created = _apply(interview, code, user, note, kept, joined)
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
        settlement.consensus_codings.set(created)
    return settlement


def _edited_passage(text: str, span: tuple[int, int], edited) -> tuple[int, int]:
    """Check the supervisor's own passage: in the transcript, not blank, meeting the span."""
    if edited is None:
        raise ValidationError("Give the edited passage's start and end.")
    try:
        start, end = trim_passage(text, *edited)
    except PassageRefused as error:
        raise ValidationError(str(error)) from error
    if not (start < span[1] and end > span[0]):
        raise ValidationError(
            f"The edited passage [{start}, {end}) lies outside the disagreement "
            f"[{span[0]}, {span[1]}): select words of the passage being settled."
        )
    return start, end


def _check_spoken(interview: Interview, passage: tuple[int, int]) -> None:
    if refusal := unspoken_refusal(interview, *passage, subject="The edited passage"):
        raise ValidationError(refusal)


def _apply(interview, code, user, note, kept, joined) -> list[Coding]:
    """Carry out ``reshape_consensus``'s plan; return the new consensus codings.

    A coding cut in two keeps its row for the first part and gets a copy for the second;
    every part and joined coding keeps the settlements that made the codings it came from.
    """
    rows = {coding.pk: coding for coding in Coding.objects.filter(pk__in=list(kept))}
    made_by: dict[int, list[int]] = {pk: [] for pk in rows}
    for settlement_id, coding_id in SettlementCoding.objects.filter(
        coding_id__in=list(rows)
    ).values_list("settlement_id", "coding_id"):
        made_by[coding_id].append(settlement_id)

    Coding.objects.filter(pk__in=[pk for pk, parts in kept.items() if not parts]).delete()
    copies, copied_from = [], []
    for pk, parts in kept.items():
        coding = rows[pk]
        for number, (s, e) in enumerate(parts):
            if number == 0:
                coding.start, coding.end, coding.quote = s, e, interview.text[s:e]
                coding.save(update_fields=["start", "end", "quote", "updated"])
            else:
                copies.append(_consensus(interview, code, coding.coder, s, e, coding.memo))
                copied_from.append([pk])
    created = []
    for s, e, ids in joined:
        memos = [note] + [rows[pk].memo for pk in ids]
        memo = "\n\n".join(dict.fromkeys(m for m in memos if m))
        created.append(_consensus(interview, code, user, s, e, memo))
        copied_from.append(ids)
    new_rows = Coding.objects.bulk_create(copies + created)
    links = [
        SettlementCoding(settlement_id=settlement_id, coding=row)
        for row, sources in zip(new_rows, copied_from, strict=True)
        for settlement_id in dict.fromkeys(s for pk in sources for s in made_by[pk])
    ]
    SettlementCoding.objects.bulk_create(links)
    if created:
        # bulk_create sends no post_save: tell the learned suggester itself. Copies of
        # parts that stay are no new coding to learn from.
        codings_added(interview.study_id, user.pk, Origin.CONSENSUS, len(created))
    return new_rows[len(copies) :]


def _consensus(interview, code, coder, start: int, end: int, memo: str) -> Coding:
    return Coding(
        interview=interview,
        code=code,
        coder=coder,
        start=start,
        end=end,
        quote=interview.text[start:end],
        origin=Origin.CONSENSUS,
        memo=memo,
    )
