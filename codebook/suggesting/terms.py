"""Suggest codes where a code's indicator terms or token patterns occur.

Terms match case-insensitively on the written form and, when the pipeline has
lemmas, on lemmas, so "budget" finds "Budgets" and "co-produce" finds
"co-producing". The pipeline runs once per turn, not once per segment.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import re
from collections.abc import Hashable, Iterable, Sequence
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, cast

from codebook.suggesting.pipeline import (
    has_lemmas,
    lemmas_follow_lower_case,
    pipeline_label,
    with_pipe,
)
from codebook.suggesting.records import CodeEntry, Segment, Suggestion
from codebook.suggesting.segments import (
    TurnDoc,
    consecutive_runs,
    parse_segment_turns,
    sentence_table,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from codebook.suggesting._matching import TermMatcher

logger = logging.getLogger(__name__)

SUGGESTER = "terms"
MATCHER = "term_matcher"  # the pipe's name in TermsSuggester.nlp
MAX_SCORE = 0.99
EXPLAIN = "matched: "

# Token attributes that need a pipe to set them before a Matcher can use them.
_ANNOTATIONS = {
    "LEMMA": "token.lemma",
    "POS": "token.pos",
    "TAG": "token.tag",
    "MORPH": "token.morph",
    "DEP": "token.dep",
}


# Token pattern operators that make a token required in every match.
_REQUIRED_OP = re.compile(r"\+|\{[1-9]\d*(,\d*)?\}")


def terms_score(distinct_terms: int, hits: int) -> float:
    """Score a passage: each distinct term halves the doubt, a repeat a little less.

    One term scores 0.5, two distinct terms 0.75, the same term twice about 0.65;
    the score never reaches 1, since words alone never prove a code.
    """
    extra_hits = hits - distinct_terms
    return min(MAX_SCORE, 1 - 0.5 ** (distinct_terms + 0.5 * extra_hits))


ONE_TERM = terms_score(1, 1)


class TermsSuggester:
    """Match the codebook's indicator terms and token patterns in candidate segments."""

    name = SUGGESTER

    def __init__(self, codes: Sequence[CodeEntry], nlp: Language) -> None:
        from codebook.suggesting import _matching

        _matching.register()
        lemmas = has_lemmas(nlp)
        # When a lemma depends only on the lower-cased word, lemma matches include the
        # lower-case ones and one matcher pass does.
        lower_case = not lemmas or not lemmas_follow_lower_case(nlp)
        #: The pipeline to parse turns with: ``nlp``'s pipes, then the term matcher.
        self.nlp = with_pipe(
            nlp, _matching.FACTORY, MATCHER, {"lemmas": lemmas, "lower_case": lower_case}
        )
        self._base = nlp
        self._matcher = cast("TermMatcher", self.nlp.get_pipe(MATCHER))
        self._matches_of = _matching.matches_of
        self.unusable_patterns: list[tuple[Hashable, str]] = []
        # Match key (a hash in the vocab) -> (code id, term); None as the term
        # means "a token pattern: name the term by the words it matched".
        self._keys: dict[int, tuple[Hashable, str | None]] = {}
        annotations = _assigned(nlp)
        for code_index, code in enumerate(codes):
            self._add_terms(code_index, code)
            self._add_patterns(code_index, code, annotations)
        self.model_version = version(codes, nlp)

    def suggest(
        self,
        text: str,
        segments: Sequence[Segment],
        turn_docs: Sequence[TurnDoc] | None = None,
    ) -> list[Suggestion]:
        """Suggest codes for the segments, merging neighbouring hits into passages.

        Pass ``turn_docs`` (a list) from ``segments.parse_turns`` with the same pipeline to
        reuse the docs that made the segments; otherwise each turn is parsed here.
        """
        ordered = sorted(segments, key=attrgetter("start"))
        if turn_docs is None:
            turn_docs = parse_segment_turns(text, ordered, self.nlp)
        by_turn: dict[int, list[tuple[int, int]]] = {}
        for segment in ordered:
            by_turn.setdefault(segment.turn_index, []).append((segment.start, segment.end))
        suggestions: list[Suggestion] = []
        for turn_doc in turn_docs:
            sentences = by_turn.get(turn_doc.turn_index)
            if not sentences:
                continue
            found = self._found(turn_doc.doc)
            if found:
                # The caller's segments: a match is placed by its offset in the text.
                suggestions += self._suggest_in_turn(
                    turn_doc,
                    found,
                    [start for start, _ in sentences],
                    [end for _, end in sentences],
                    sentences,
                )
        _sort_in_text_order(suggestions)
        return suggestions

    def suggest_turns(self, turn_docs: Iterable[TurnDoc]) -> list[Suggestion]:
        """Suggest codes in turns parsed by ``self.nlp``, each sentence a candidate.

        The same as ``suggest(text, segments_from_docs(turn_docs), turn_docs)``, for a
        run: only the turns with a match are split into sentences, and a match is placed
        by its first token, which saves looking up where each matched token starts.
        """
        suggestions: list[Suggestion] = []
        for turn_doc in turn_docs:
            found = self._found(turn_doc.doc)
            if found:
                firsts, ends, sentences = sentence_table(turn_doc)
                suggestions += self._suggest_in_turn(
                    turn_doc, found, firsts, ends, sentences, by_token=True
                )
        _sort_in_text_order(suggestions)
        return suggestions

    def _found(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Return the matcher's (key, first token, end token) for the doc."""
        found = self._matches_of(doc)
        if found is None:  # parsed by a pipeline without the term matcher
            found = self._matcher.match(doc)
        return found

    def _suggest_in_turn(
        self,
        turn_doc: TurnDoc,
        found: list[tuple[int, int, int]],
        starts: list[int],
        ends: list[int],
        sentences: list[tuple[int, int]],
        *,
        by_token: bool = False,
    ) -> list[Suggestion]:
        """Suggest each matched code for its sentences, neighbours merged into passages.

        ``sentences[i]`` spans ``[starts[i], ends[i])``: tokens of the doc when
        ``by_token``, otherwise offsets into the interview text.
        """
        doc, keys = turn_doc.doc, self._keys
        # code id -> its matches as (first token, end token, term or None)
        by_code: dict[Hashable, list[tuple[int, int, str | None]]] = {}
        for key, start, end in found:
            entry = keys.get(key)
            if entry is not None:  # not a pattern's trigger
                spans = by_code.get(entry[0])
                if spans is None:
                    by_code[entry[0]] = [(start, end, entry[1])]
                else:
                    spans.append((start, end, entry[1]))
        suggestions = []
        version = self.model_version
        for code_id, spans in by_code.items():
            if len(spans) == 1:  # the usual case: one term of the code in the turn
                start, end, term = spans[0]
                position = start if by_token else turn_doc.start + doc[start].idx
                index = bisect.bisect_right(starts, position) - 1
                if index >= 0 and position < ends[index]:
                    if term is None:
                        term = doc[start:end].text.lower()
                    start, end = sentences[index]
                    suggestions.append(
                        Suggestion(
                            start, end, code_id, ONE_TERM, SUGGESTER, version, EXPLAIN + term
                        )
                    )
                continue
            # Longest first at each start; a match ending inside one already kept
            # ("cost" inside "cost cutting", or the same term found on lemmas and
            # on lower case) is the same evidence again.
            spans.sort(key=_longest_first)
            # sentence index -> the terms found there, in text order
            by_sentence: dict[int, list[str]] = {}
            kept_end = -1
            for start, end, term in spans:
                if end <= kept_end:
                    continue
                kept_end = end
                position = start if by_token else turn_doc.start + doc[start].idx
                index = bisect.bisect_right(starts, position) - 1
                if index >= 0 and position < ends[index]:
                    terms = by_sentence.get(index)
                    if term is None:  # a token pattern: name it by the words it matched
                        term = doc[start:end].text.lower()
                    if terms is None:
                        by_sentence[index] = [term]
                    else:
                        terms.append(term)
            for run in consecutive_runs(list(by_sentence)):
                terms = [term for index in run for term in by_sentence[index]]
                distinct = list(dict.fromkeys(terms))
                suggestions.append(
                    Suggestion(
                        sentences[run[0]][0],
                        sentences[run[-1]][1],
                        code_id,
                        terms_score(len(distinct), len(terms)),
                        SUGGESTER,
                        version,
                        EXPLAIN + ", ".join(distinct),
                    )
                )
        return suggestions

    def _add_terms(self, code_index: int, code: CodeEntry) -> None:
        terms = list(dict.fromkeys(" ".join(t.split()).lower() for t in code.indicator_terms))
        terms = [term for term in terms if term]
        keys = [f"coprod-term:{code_index}:{term_index}" for term_index in range(len(terms))]
        lower, lemma = self._matcher.lower, self._matcher.lemma
        for key, term in zip(keys, terms, strict=True):
            self._keys[self.nlp.vocab.strings.add(key)] = (code.id, term)
            if lower is not None:
                lower.add(key, [self.nlp.make_doc(term)])
        if lemma is not None and terms:
            # Lemmatise the patterns with the same pipes as the text.
            for key, doc in zip(keys, self._base.pipe(terms), strict=True):
                lemma.add(key, [doc])

    def _add_patterns(self, code_index: int, code: CodeEntry, annotations: set[str]) -> None:
        from spacy.matcher import Matcher

        usable = []
        for pattern in code.token_patterns or []:
            try:
                # Validate each pattern alone so one bad pattern names itself.
                Matcher(self.nlp.vocab, validate=True).add(code.path, [pattern])
            except (ValueError, TypeError, KeyError) as exc:
                self._skip(code, f"invalid pattern: {_problems(exc)}")
                continue
            missing = _needed(pattern) - annotations
            if missing:
                self._skip(code, f"the pipeline sets no {', '.join(sorted(missing))}")
                continue
            usable.append(pattern)
        if usable:
            key = f"coprod-pattern:{code_index}"
            self._keys[self.nlp.vocab.strings.add(key)] = (code.id, None)
            self._matcher.patterns.add(key, usable, greedy="LONGEST")
        for pattern_index, pattern in enumerate(usable):
            self._add_triggers(f"coprod-trigger:{code_index}:{pattern_index}", pattern)

    def _add_triggers(self, prefix: str, pattern: list[dict[str, Any]]) -> None:
        """Add the words that every match of the pattern needs to the phrase matchers."""
        from spacy.tokens import Doc

        matcher = self._matcher
        triggers = _triggers(pattern)
        if not triggers or (matcher.lemma is None and any(a == "LEMMA" for a, _ in triggers)):
            matcher.patterns_need_no_trigger = True
            return
        vocab, lower, lemma = self.nlp.vocab, matcher.lower, matcher.lemma
        keys = []
        for token_index, (attr, values) in enumerate(triggers):
            key = f"{prefix}:{token_index}"
            if attr == "LOWER" and lower is not None:
                lower.add(key, [Doc(vocab, words=[value]) for value in values])
                keys.append(vocab.strings.add(key))
                continue
            # Only a pipeline with lemmas goes without the lower-case matcher.
            assert lemma is not None
            if attr == "LOWER":
                # A word's lemma is a function of its lower-cased form here,
                # so the lemma of the word is an equally necessary trigger.
                docs = [self._base.get_pipe("lemmatizer")(Doc(vocab, words=[v])) for v in values]
                lemma.add(key, docs)
            else:
                lemma.add(key, [Doc(vocab, words=[v], lemmas=[v]) for v in values])
            keys.append(vocab.strings.add(key))
        matcher.pattern_triggers.append(frozenset(keys))

    def _skip(self, code: CodeEntry, reason: str) -> None:
        self.unusable_patterns.append((code.id, reason))
        logger.warning("code %r: token pattern skipped: %s", code.id, reason)


def _sort_in_text_order(suggestions: list[Suggestion]) -> None:
    """Sort by start, the best first at the same start (two stable sorts on C-level keys)."""
    suggestions.sort(key=itemgetter(3), reverse=True)
    suggestions.sort(key=itemgetter(0))


def _longest_first(span: tuple[int, int, str | None]) -> tuple[int, int]:
    return span[0], -span[1]


def _problems(exc: Exception) -> str:
    lines = str(exc).splitlines()
    details = [line[2:] for line in lines if line.startswith("- ")]
    return "; ".join(details) or lines[0]


def _triggers(pattern: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Return (attribute, words) for each token that every match has.

    A token counts when it is required (no operator, "+" or a count of at
    least one) and compared with exact words; empty when there is none.
    """
    triggers = []
    for token in pattern:
        spec = {key.upper(): value for key, value in token.items()}
        op = spec.get("OP")
        if op is not None and not _REQUIRED_OP.fullmatch(str(op)):
            continue
        for key, attr in (
            ("LEMMA", "LEMMA"),
            ("LOWER", "LOWER"),
            ("ORTH", "LOWER"),
            ("TEXT", "LOWER"),
        ):
            value = spec.get(key)
            if isinstance(value, dict) and set(value) == {"IN"}:
                value = value["IN"]
            values = [value] if isinstance(value, str) else value
            if (
                isinstance(values, list)
                and values
                and all(isinstance(v, str) and v for v in values)
            ):
                if key in ("ORTH", "TEXT"):
                    values = [v.lower() for v in values]
                triggers.append((attr, values))
                break
    return triggers


def _assigned(nlp: Language) -> set[str]:
    assigned = {attr for name in nlp.pipe_names for attr in nlp.get_pipe_meta(name).assigns}
    return {key for key, attr in _ANNOTATIONS.items() if attr in assigned}


def _needed(pattern: list[dict[str, Any]]) -> set[str]:
    return {key.upper() for token in pattern for key in token if key.upper() in _ANNOTATIONS}


def version(codes: Sequence[CodeEntry], nlp: Language) -> str:
    """Fingerprint the codebook and pipeline, so stale suggestions can be told apart."""
    content = json.dumps(
        [
            pipeline_label(nlp),
            [[code.id, code.indicator_terms, code.token_patterns] for code in codes],
        ],
        sort_keys=True,
        default=str,
    )
    return f"terms-{hashlib.sha256(content.encode()).hexdigest()[:12]}"
