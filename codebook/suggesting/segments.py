"""Split speaker turns into sentences and candidate passages.

A candidate is one sentence inside one speaker turn. Suggesters merge adjacent
hits of the same code into passages of up to three sentences
(``group_adjacent``): emitting every window of one, two and three sentences
would triple the candidates and the work, and score the same words three times.

Each turn is processed as its own spaCy doc, so no sentence crosses a change of
speaker and offsets are ``doc`` offsets plus the turn's start. A turn may be a
``records.Turn`` or anything with ``start``, ``end``, ``speaker`` and
``is_interviewer`` attributes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codebook.suggesting.records import Segment, Turn

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

BATCH_SIZE = 64
MAX_PASSAGE_SENTENCES = 3

# "[00:01:23]", "(12:03)", f4's "#00:01:23-4#", or a bare "00:01:23.4"; a bare
# "10:30" is left alone, since a speaker may start by saying a time.
_TIMESTAMP = (
    r"(?:[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]"
    r"|#\d{1,2}:\d{2}:\d{2}(?:[-.,]\d{1,3})?#"
    r"|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)"
)
# A timestamp, or a short speaker code such as "I:", "R:", "P12:" or "IP3:".
_LEADING_MARK = re.compile(
    rf"\s*(?:{_TIMESTAMP}|(?:[A-Z]{{1,3}}\d{{1,3}}|[A-Z]):(?=\s))[\s\-\u2013\u2014]*"
)
_TRAILING_TIMESTAMP = re.compile(rf"\s*{_TIMESTAMP}\s*$")
_WORD = re.compile(r"\w")
_ABBREVIATION_END = re.compile(r"\b(\w+)\.$")

# Abbreviations that the tokenizer splits from their full stop ("etc" + "."),
# so the sentencizer ends a sentence there. Lower-case text after one of them
# means the sentence goes on. "e.g.", "i.e." and initials such as "Manager A."
# stay one token and never end a sentence.
_ABBREVIATIONS = frozenset(
    ["eg", "ie", "etc", "approx", "incl", "esp", "cf", "vs", "ca", "resp", "viz"]  # English
    + ["osv", "mv", "evt", "jf", "pga", "ift", "mht", "ifm", "fx"]  # Danish
)


@dataclass(slots=True)
class TurnDoc:
    """One turn's spoken text and its spaCy doc; ``start`` is their offset."""

    turn_index: int
    start: int
    text: str
    doc: Doc


def spoken_span(text: str, turn: Turn) -> tuple[int, int]:
    """Return the turn's span without surrounding whitespace, timestamps or labels.

    Turns normally point at the spoken text already; this guards against an
    importer that left "[00:01:23] P3:" or the speaker's own name inside.
    """
    start, end = turn.start, turn.end
    for _ in range(4):
        mark = _LEADING_MARK.match(text, start, end)
        if mark and mark.end() > start:
            start = mark.end()
            continue
        if turn.speaker and text.startswith(turn.speaker, start, end):
            after = start + len(turn.speaker)
            if text.startswith(":", after, end):
                start = after + 1
                continue
        break
    while end > start and text[end - 1].isspace():
        end -= 1
    # Every timestamp ends with a digit, "]", ")" or "#": look for one only then.
    if end > start and (text[end - 1].isdigit() or text[end - 1] in "])#"):
        tail = _TRAILING_TIMESTAMP.search(text, max(start, end - 24), end)
        if tail:
            end = tail.start()
        while end > start and text[end - 1].isspace():
            end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def parse_turns(
    text: str,
    turns: Sequence[Turn],
    nlp: Language,
    *,
    include_interviewer: bool = False,
    batch_size: int = BATCH_SIZE,
    skip: Sequence[str] = (),
) -> Iterator[TurnDoc]:
    """Run ``nlp`` once over each turn's spoken text, skipping interviewer turns.

    Yields each turn as spaCy finishes it, so a single pass over a long interview holds
    one batch of docs at a time rather than all of them; make a list of it to go over the
    docs twice. Turns outside the text raise here, before anything is parsed. ``skip``
    names pipes left out of this call (the shared pipeline is not changed).
    """
    spans = []
    for index, turn in enumerate(turns):
        if turn.is_interviewer and not include_interviewer:
            continue
        if not 0 <= turn.start <= turn.end <= len(text):
            raise ValueError(f"turn {index} [{turn.start}, {turn.end}) is outside the text")
        start, end = spoken_span(text, turn)
        if end > start:
            spans.append((index, start, end))
    return _parse_spans(text, spans, nlp, batch_size, skip)


def parse_segment_turns(
    text: str, segments: Sequence[Segment], nlp: Language, *, batch_size: int = BATCH_SIZE
) -> list[TurnDoc]:
    """Run ``nlp`` once per turn over the stretch that the turn's segments cover."""
    covered: dict[int, tuple[int, int]] = {}
    for segment in segments:
        start, end = covered.get(segment.turn_index, (segment.start, segment.end))
        covered[segment.turn_index] = (min(start, segment.start), max(end, segment.end))
    spans = sorted((index, start, end) for index, (start, end) in covered.items())
    return list(_parse_spans(text, spans, nlp, batch_size))


def sentences_of(turn_doc: TurnDoc) -> list[tuple[int, int]]:
    """Return the sentences of a parsed turn as offsets into the interview text."""
    return sentence_table(turn_doc)[2]


def sentence_table(turn_doc: TurnDoc) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    """Return the sentences of a parsed turn: first tokens, end tokens and text offsets.

    The three lists run in parallel; tokens are the doc's, offsets the interview's. A
    sentence that goes on after an abbreviation ("etc. and lists") is joined to the one
    before, surrounding whitespace is left out, and sentences of only punctuation or
    dashes (nothing there to code) are dropped. Callers that map tokens to sentences
    bisect the first tokens, which saves looking up each token's offset.
    """
    # turn_doc.text, not doc.text: the doc would rebuild its text token by token.
    text, base = turn_doc.text, turn_doc.start
    firsts: list[int] = []
    ends: list[int] = []
    spans: list[tuple[int, int]] = []
    previous_end = -1  # of the sentence before, as spaCy ended it
    for sentence in turn_doc.doc.sents:
        start, end = sentence.start_char, sentence.end_char
        first = text[start]
        if first.isupper() and first.isalpha() and not text[end - 1].isspace():
            # The usual sentence: nothing to join, trim or drop.
            firsts.append(sentence.start)
            ends.append(sentence.end)
            spans.append((base + start, base + end))
        elif (
            (first.islower() or first.isdigit())
            and previous_end >= 0
            and _continues_after_abbreviation(text, previous_end)
        ):
            # The sentence before ends in a word and a full stop, so it was kept.
            trimmed_end = end
            while text[trimmed_end - 1].isspace():  # stops at the lower-case letter or digit
                trimmed_end -= 1
            ends[-1] = sentence.end
            spans[-1] = (spans[-1][0], base + trimmed_end)
        else:
            trimmed_start, trimmed_end = start, end
            while trimmed_start < end and text[trimmed_start].isspace():
                trimmed_start += 1
            while trimmed_end > trimmed_start and text[trimmed_end - 1].isspace():
                trimmed_end -= 1
            if trimmed_start < trimmed_end and (
                text[trimmed_start].isalnum() or _WORD.search(text, trimmed_start, trimmed_end)
            ):
                firsts.append(sentence.start)
                ends.append(sentence.end)
                spans.append((base + trimmed_start, base + trimmed_end))
        previous_end = end
    return firsts, ends, spans


def segments_from_docs(turn_docs: Iterable[TurnDoc]) -> list[Segment]:
    """Make one candidate segment per sentence of the parsed turns."""
    return [
        Segment(start, end, turn_doc.turn_index)
        for turn_doc in turn_docs
        for start, end in sentences_of(turn_doc)
    ]


def candidate_segments(text: str, turns: Sequence[Turn], nlp: Language) -> list[Segment]:
    """Split the interviewee turns into single-sentence candidate segments."""
    return segments_from_docs(parse_turns(text, turns, nlp))


def sentence_spans(
    text: str, turns: Sequence[Turn], nlp: Language, *, include_interviewer: bool = True
) -> list[tuple[int, int]]:
    """Return every sentence as ``(start, end)``, the units agreement is counted in."""
    # Lemmas do not move sentence boundaries: skip the lemmatizer for this call only.
    skip = [name for name in nlp.pipe_names if name == "lemmatizer"]
    turn_docs = parse_turns(text, turns, nlp, include_interviewer=include_interviewer, skip=skip)
    return [span for turn_doc in turn_docs for span in sentences_of(turn_doc)]


def group_adjacent(
    segments: Sequence[Segment],
    hit_indexes: Iterable[int],
    max_sentences: int = MAX_PASSAGE_SENTENCES,
) -> list[list[int]]:
    """Group hit segment indexes into runs of neighbours in one turn.

    Neighbours are consecutive in ``segments`` (text order) and share a turn;
    a longer run is cut into passages of at most ``max_sentences``.
    """
    runs: list[list[int]] = []
    # A passage never crosses a change of speaker turn.
    by_turn = itertools.groupby(sorted(hit_indexes), key=lambda i: segments[i].turn_index)
    for _, in_turn in by_turn:
        runs += consecutive_runs(list(in_turn), max_sentences)
    return runs


def consecutive_runs(
    indexes: Sequence[int], max_sentences: int = MAX_PASSAGE_SENTENCES
) -> list[list[int]]:
    """Group sorted indexes of one turn's sentences into runs of neighbours.

    A longer run is cut into passages of at most ``max_sentences``.
    """
    runs: list[list[int]] = []
    previous = -2
    for index in indexes:
        if index == previous + 1 and len(runs[-1]) < max_sentences:
            runs[-1].append(index)
        else:
            runs.append([index])
        previous = index
    return runs


def _parse_spans(
    text: str,
    spans: list[tuple[int, int, int]],
    nlp: Language,
    batch_size: int,
    skip: Sequence[str] = (),
) -> Iterator[TurnDoc]:
    texts = [text[start:end] for _, start, end in spans]
    docs = nlp.pipe(texts, batch_size=batch_size, disable=skip)
    return (
        TurnDoc(index, start, turn_text, doc)
        for (index, start, _), turn_text, doc in zip(spans, texts, docs, strict=True)
    )


def _continues_after_abbreviation(text: str, previous_end: int) -> bool:
    if text[previous_end - 1] != ".":
        return False
    abbreviation = _ABBREVIATION_END.search(text, max(0, previous_end - 8), previous_end)
    return abbreviation is not None and abbreviation.group(1).lower() in _ABBREVIATIONS
