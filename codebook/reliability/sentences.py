"""Sentence units of interviews, segmented by spaCy once per text and cached in the database.

spaCy is imported only when an interview's sentences are not cached yet: the
web process must not pay for it on start-up, and a cached study never loads it.
The suggestion engine's segmentation (``codebook.suggesting.segments``) is used,
so suggestions and agreement count the same sentences; the cache records its
label, so a change of segmenter re-segments once.
"""

import hashlib
from collections.abc import Iterable

from codebook.models import SentenceCache
from interviews.models import Interview, SpeakerRole

SEGMENTER = "suggesting-sentence-spans/1"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_sentences(text: str, turns, lang: str) -> list[list[int]]:
    """Return ``[start, end]`` of each sentence with the suggestion engine's segmentation.

    Agreement and suggestions must count the same sentences; spaCy is imported here,
    only when an interview's sentences are not cached yet.
    """
    from codebook.suggesting import segments  # noqa: PLC0415 (lazy: see the module docstring)
    from codebook.suggesting.pipeline import load_pipeline  # noqa: PLC0415
    from codebook.suggesting.records import Turn as SpokenTurn  # noqa: PLC0415

    records = [
        SpokenTurn(t.start, t.end, t.speaker, t.speaker_role == SpeakerRole.INTERVIEWER)
        for t in turns
    ]
    spans = segments.sentence_spans(text, records, load_pipeline(lang), include_interviewer=True)
    return [[start, end] for start, end in spans]


def sentence_spans_for(interviews: Iterable[Interview]) -> dict[int, list[tuple[int, int]]]:
    """Return each interview's sentence spans, segmenting and caching the ones not yet cached.

    One query when all are cached; more, and spaCy, only for new or changed texts.
    """
    interviews = list(interviews)
    cached = {
        cache.interview_id: cache
        for cache in SentenceCache.objects.filter(interview__in=interviews, segmenter=SEGMENTER)
    }
    result = {}
    for interview in interviews:
        digest = text_hash(interview.text)
        cache = cached.get(interview.pk)
        if cache is None or cache.text_hash != digest:
            turns = [t for t in interview.turns.all() if t.end > t.start]
            spans = split_sentences(interview.text, turns, interview.language or "en")
            cache, _ = SentenceCache.objects.update_or_create(
                interview=interview,
                defaults={"text_hash": digest, "segmenter": SEGMENTER, "spans": spans},
            )
        result[interview.pk] = [(start, end) for start, end in cache.spans]
    return result
