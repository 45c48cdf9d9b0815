"""Sentence units of interviews, segmented by spaCy once per text and cached in the database.

spaCy is imported only when an interview's sentences are not cached yet: the
web process must not pay for it on start-up, and a cached study never loads it.
The suggestion engine's segmentation (``codebook.suggesting.segments``) is used
when it is installed, so suggestions and agreement count the same sentences;
until then a per-turn rule sentencizer stands in. Each caches under its own
label, so the switch re-segments once.
"""

import hashlib
from collections.abc import Iterable

from codebook.models import SentenceCache
from interviews.models import Interview, SpeakerRole

FALLBACK = "spacy-sentencizer-per-turn/1"
SUGGESTING = "suggesting-sentence-spans/1"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_sentences(text: str, turn_spans: list[tuple[int, int]], lang: str) -> list[list[int]]:
    """Return ``[start, end]`` of each sentence; no sentence crosses a speaker turn.

    Without turns the whole text is one stretch. Surrounding white space is left
    out of each sentence.
    """
    import spacy  # noqa: PLC0415 (lazy: see the module docstring)

    try:
        nlp = spacy.blank(lang)
    except ImportError:
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    stretches = turn_spans or [(0, len(text))]
    spans = []
    docs = nlp.pipe(text[start:end] for start, end in stretches)
    for (offset, _), doc in zip(stretches, docs, strict=True):
        for sentence in doc.sents:
            start, end = offset + sentence.start_char, offset + sentence.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                spans.append([start, end])
    return spans


def _segmenter():
    """Return (label, split) with split(text, turns, lang) -> [[start, end], ...]."""
    try:
        from codebook.suggesting import segments  # noqa: PLC0415 (optional, lazy)
        from codebook.suggesting.pipeline import load_pipeline  # noqa: PLC0415
        from codebook.suggesting.records import Turn as SpokenTurn  # noqa: PLC0415
    except ImportError:
        return FALLBACK, lambda text, turns, lang: split_sentences(
            text, [(t.start, t.end) for t in turns], lang
        )

    def split(text, turns, lang):
        records = [
            SpokenTurn(t.start, t.end, t.speaker, t.speaker_role == SpeakerRole.INTERVIEWER)
            for t in turns
        ]
        spans = segments.sentence_spans(
            text, records, load_pipeline(lang), include_interviewer=True
        )
        return [[start, end] for start, end in spans]

    return SUGGESTING, split


def sentence_spans_for(interviews: Iterable[Interview]) -> dict[int, list[tuple[int, int]]]:
    """Return each interview's sentence spans, segmenting and caching the ones not yet cached.

    One query when all are cached; more, and spaCy, only for new or changed texts.
    """
    interviews = list(interviews)
    label, split = _segmenter()
    cached = {
        cache.interview_id: cache
        for cache in SentenceCache.objects.filter(interview__in=interviews, segmenter=label)
    }
    result = {}
    for interview in interviews:
        digest = text_hash(interview.text)
        cache = cached.get(interview.pk)
        if cache is None or cache.text_hash != digest:
            turns = [t for t in interview.turns.all() if t.end > t.start]
            spans = split(interview.text, turns, interview.language or "en")
            cache, _ = SentenceCache.objects.update_or_create(
                interview=interview,
                defaults={"text_hash": digest, "segmenter": label, "spans": spans},
            )
        result[interview.pk] = [(start, end) for start, end in cache.spans]
    return result
