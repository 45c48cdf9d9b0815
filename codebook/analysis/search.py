"""Text search across a study's transcripts, and auto-coding what it found."""

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from codebook.analysis import nlp
from codebook.analysis.overlap import find_turn
from codebook.analysis.textsearch import (
    Hit,
    find_phrase,
    make_hit,
    paragraph_around,
    phrase_pattern,
    span_around,
    trim_span,
)
from codebook.models import Code, Coding, Origin
from codebook.page_revision import check_revision
from codebook.passages import PassageRefused
from codebook.suggestion_runs import codings_added
from interviews.models import Interview, Study, Turn

HIT = "hit"
SENTENCE = "sentence"
TURN = "turn"
UNITS = [
    (HIT, "Only the words found"),
    (SENTENCE, "The sentence around each"),
    (TURN, "The speaker turn around each"),
]


def search_study(
    study: Study, query: str, *, lemma: bool = False, interviews: Iterable | None = None
) -> list[Hit]:
    """Return every hit of ``query`` in the study's transcripts, in interview order.

    Reads every chosen transcript's text; a lemma search also runs spaCy over them.
    """
    chosen = Interview.objects.filter(study=study)
    if interviews is not None:
        chosen = chosen.filter(pk__in=[getattr(i, "pk", i) for i in interviews])
    pattern = phrase_pattern(query)
    if pattern is None:
        return []
    hits: list[Hit] = []
    for pk, text, language in chosen.values_list("pk", "text", "language"):
        spans = nlp.find_lemmas(text, language, query) if lemma else find_phrase(text, pattern)
        hits.extend(make_hit(pk, text, start, end) for start, end in spans)
    return hits


def expand_hits(study: Study, hits: Iterable[Hit], unit: str) -> dict[int, set[tuple[int, int]]]:
    """Return the passages to code per interview: each hit, or its sentence or turn, trimmed.

    A hit outside every turn expands to its paragraph when the unit is the turn.
    """
    by_interview: dict[int, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_interview[hit.interview_id].append(hit)
    passages: dict[int, set[tuple[int, int]]] = defaultdict(set)
    interviews = Interview.objects.filter(study=study, pk__in=by_interview)
    turns: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if unit == TURN:
        for interview_id, start, end in (
            Turn.objects.filter(interview__in=interviews)
            .order_by("interview", "start")
            .values_list("interview_id", "start", "end")
        ):
            turns[interview_id].append((start, end))
    for pk, text, language in interviews.values_list("pk", "text", "language"):
        for hit in by_interview[pk]:
            span = _unit_around(text, language, hit, unit, turns[pk])
            start, end = trim_span(text, *span)
            if start < end:
                passages[pk].add((start, end))
    return passages


def _unit_around(text, language, hit: Hit, unit: str, turns) -> tuple[int, int]:
    if unit == SENTENCE:
        start, end = paragraph_around(text, hit.start, hit.end)
        found = nlp.sentence_spans(text[start:end], language)
        sentences = [(start + s, start + e) for s, e in found]
        return span_around(sentences, hit.start, hit.end) or (hit.start, hit.end)
    if unit == TURN:
        index = find_turn([t[0] for t in turns], [t[1] for t in turns], hit.start, hit.end)
        if index >= 0 and turns[index][0] <= hit.start and hit.end <= turns[index][1]:
            return turns[index]
        return paragraph_around(text, hit.start, hit.end)
    return hit.start, hit.end


def auto_code(code: Code, coder, passages: dict[int, set[tuple[int, int]]]) -> tuple[int, int]:
    """Code every passage with ``code`` for ``coder``, recording the search as their origin.

    Returns (codings added, passages the coder had already coded with it).
    """
    with transaction.atomic():
        existing = set(
            Coding.objects.filter(
                code=code, coder=coder, interview_id__in=list(passages)
            ).values_list("interview_id", "start", "end")
        )
        texts = dict(Interview.objects.filter(pk__in=list(passages)).values_list("pk", "text"))
        new = [
            Coding(
                interview_id=interview_id,
                code=code,
                coder=coder,
                start=start,
                end=end,
                quote=texts[interview_id][start:end],
                origin=Origin.SEARCH,
            )
            for interview_id, spans in passages.items()
            for start, end in sorted(spans)
            if (interview_id, start, end) not in existing
        ]
        Coding.objects.bulk_create(new, batch_size=500)
        if new:
            # bulk_create sends no post_save: tell the learned suggester itself.
            codings_added(code.study_id, coder.pk, Origin.SEARCH, len(new))
    return len(new), sum(len(spans) for spans in passages.values()) - len(new)


def interview_titles(study: Study) -> dict[int, str]:
    return dict(Interview.objects.filter(study=study).values_list("pk", "title"))


def transcript_revisions(study: Study) -> dict[int, int]:
    """Each interview's revision: read before a search, checked by ``auto_code_hits``."""
    return dict(Interview.objects.filter(study=study).values_list("pk", "revision"))


def auto_code_hits(
    study: Study,
    coder,
    hits: Iterable[Hit],
    unit: str,
    code: Code | None,
    new_code_name: str = "",
    revisions: dict[int, int] | None = None,
) -> tuple[Code, int, int]:
    """Code the hits (or their sentences or turns) with ``code``, or with a new top-level code
    named ``new_code_name``, in one transaction; return the code, codings added and skipped.

    ``revisions`` (``transcript_revisions``, read before searching): a transcript corrected
    since then refuses the whole auto-coding, as the hits' positions belong to its old text.
    """
    hits = list(hits)
    with transaction.atomic():
        for interview_id in sorted({hit.interview_id for hit in hits}):
            try:
                check_revision(interview_id, (revisions or {}).get(interview_id))
            except PassageRefused as error:
                message = "A transcript was corrected while you searched: search again."
                raise ValidationError(message + " Nothing was coded.") from error
        if code is None:
            code = Code(study=study, name=new_code_name)
            code.full_clean()
            code.save()
        added, skipped = auto_code(code, coder, expand_hits(study, hits, unit))
    return code, added, skipped
