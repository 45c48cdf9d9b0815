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
from collections import defaultdict
from collections.abc import Hashable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from codebook.suggesting.pipeline import has_lemmas, lemmas_follow_lower_case, pipeline_label
from codebook.suggesting.records import CodeEntry, Segment, Suggestion
from codebook.suggesting.segments import TurnDoc, group_adjacent, parse_segment_turns

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

SUGGESTER = "terms"
MAX_SCORE = 0.99

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


class TermsSuggester:
    """Match the codebook's indicator terms and token patterns in candidate segments."""

    name = SUGGESTER

    def __init__(self, codes: Sequence[CodeEntry], nlp: Language) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = nlp
        self.unusable_patterns: list[tuple[Hashable, str]] = []
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA") if has_lemmas(nlp) else None
        # When a lemma depends only on the lower-cased word, lemma matches
        # include the lower-case ones and one matcher pass does.
        self._lower = None
        if self._lemma is None or not lemmas_follow_lower_case(nlp):
            self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._patterns = Matcher(nlp.vocab, validate=True)
        # Match key (a hash in the vocab) -> (code id, term); None as the term
        # means "a token pattern: name the term by the words it matched".
        self._keys: dict[int, tuple[Hashable, str | None]] = {}
        # The Matcher costs about as much as the rest of the matching, so it
        # only runs on turns where the phrase matchers found, for some
        # pattern, every word that each match of it needs (its triggers).
        self._trigger_keys: set[int] = set()
        self._pattern_triggers: list[frozenset[int]] = []
        self._patterns_need_no_trigger = False
        annotations = _assigned(nlp)
        for code_index, code in enumerate(codes):
            self._add_terms(code_index, code)
            self._add_patterns(code_index, code, annotations, Matcher)
        self.model_version = _version(codes, nlp)

    def suggest(
        self,
        text: str,
        segments: Sequence[Segment],
        turn_docs: Sequence[TurnDoc] | None = None,
    ) -> list[Suggestion]:
        """Suggest codes for the segments, merging neighbouring hits into passages.

        Pass ``turn_docs`` from ``segments.parse_turns`` with the same pipeline to
        reuse the docs that made the segments; otherwise each turn is parsed here.
        """
        ordered = sorted(segments, key=attrgetter("start"))
        if turn_docs is None:
            turn_docs = parse_segment_turns(text, ordered, self.nlp)
        by_turn: dict[int, tuple[list[int], list[int]]] = {}
        for index, segment in enumerate(ordered):
            starts, indexes = by_turn.setdefault(segment.turn_index, ([], []))
            starts.append(segment.start)
            indexes.append(index)

        # code id -> segment index -> matched terms, in text order
        hits: dict[Hashable, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for turn_doc in turn_docs:
            turn_segments = by_turn.get(turn_doc.turn_index)
            if turn_segments is None:
                continue
            starts, indexes = turn_segments
            doc = turn_doc.doc
            for code_id, start_token, term in self._matches(doc):
                offset = turn_doc.start + doc[start_token].idx
                position = bisect.bisect_right(starts, offset) - 1
                if position >= 0 and offset < ordered[indexes[position]].end:
                    hits[code_id][indexes[position]].append(term)

        suggestions = []
        for code_id, by_segment in hits.items():
            for run in group_adjacent(ordered, by_segment):
                terms = [term for index in run for term in by_segment[index]]
                distinct = list(dict.fromkeys(terms))
                suggestions.append(
                    Suggestion(
                        start=ordered[run[0]].start,
                        end=ordered[run[-1]].end,
                        code_id=code_id,
                        score=terms_score(len(distinct), len(terms)),
                        suggester=SUGGESTER,
                        model_version=self.model_version,
                        explanation="matched: " + ", ".join(distinct),
                    )
                )
        suggestions.sort(key=lambda suggestion: (suggestion.start, -suggestion.score))
        return suggestions

    def _matches(self, doc: Doc) -> list[tuple[Hashable, int, str]]:
        """Return (code id, first token, term), dropping matches inside a longer one of the code."""
        found = self._lemma(doc) if self._lemma is not None else []
        if self._lower is not None:
            found += self._lower(doc)
        keys = self._keys
        by_code: dict[Hashable, list[tuple[int, int, str | None]]] = {}
        seen_triggers = set()
        for key, start, end in found:
            entry = keys.get(key)
            if entry is None:
                seen_triggers.add(key)
            else:
                by_code.setdefault(entry[0], []).append((start, end, entry[1]))
        if self._patterns_need_no_trigger or (
            seen_triggers and any(t <= seen_triggers for t in self._pattern_triggers)
        ):
            for key, start, end in self._patterns(doc):
                code_id = keys[key][0]
                by_code.setdefault(code_id, []).append((start, end, None))
        matches = []
        for code_id, spans in by_code.items():
            # Longest first at each start; a match ending inside one already
            # kept ("cost" inside "cost cutting", or the same term found on
            # lemmas and on lower case) is the same evidence again.
            if len(spans) > 1:
                spans.sort(key=_longest_first)
            kept_end = -1
            for start, end, term in spans:
                if end > kept_end:
                    matches.append((code_id, start, term or doc[start:end].text.lower()))
                    kept_end = end
        return matches

    def _add_terms(self, code_index: int, code: CodeEntry) -> None:
        terms = list(dict.fromkeys(" ".join(t.split()).lower() for t in code.indicator_terms))
        terms = [term for term in terms if term]
        keys = [f"coprod-term:{code_index}:{term_index}" for term_index in range(len(terms))]
        for key, term in zip(keys, terms, strict=True):
            self._keys[self.nlp.vocab.strings.add(key)] = (code.id, term)
            if self._lower is not None:
                self._lower.add(key, [self.nlp.make_doc(term)])
        if self._lemma is not None and terms:
            # Lemmatise the patterns with the same pipeline as the text.
            for key, doc in zip(keys, self.nlp.pipe(terms), strict=True):
                self._lemma.add(key, [doc])

    def _add_patterns(
        self, code_index: int, code: CodeEntry, annotations: set[str], matcher_class: type
    ) -> None:
        usable = []
        for pattern in code.token_patterns or []:
            try:
                # Validate each pattern alone so one bad pattern names itself.
                matcher_class(self.nlp.vocab, validate=True).add(code.path, [pattern])
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
            self._patterns.add(key, usable, greedy="LONGEST")
        for pattern_index, pattern in enumerate(usable):
            self._add_triggers(f"coprod-trigger:{code_index}:{pattern_index}", pattern)

    def _add_triggers(self, prefix: str, pattern: list[dict[str, Any]]) -> None:
        """Add the words that every match of the pattern needs to the phrase matchers."""
        from spacy.tokens import Doc

        triggers = _triggers(pattern)
        if not triggers or (self._lemma is None and any(a == "LEMMA" for a, _ in triggers)):
            self._patterns_need_no_trigger = True
            return
        vocab, lower, lemma = self.nlp.vocab, self._lower, self._lemma
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
                docs = [self.nlp.get_pipe("lemmatizer")(Doc(vocab, words=[v])) for v in values]
                lemma.add(key, docs)
            else:
                lemma.add(key, [Doc(vocab, words=[v], lemmas=[v]) for v in values])
            keys.append(vocab.strings.add(key))
        self._trigger_keys.update(keys)
        self._pattern_triggers.append(frozenset(keys))

    def _skip(self, code: CodeEntry, reason: str) -> None:
        self.unusable_patterns.append((code.id, reason))
        logger.warning("code %r: token pattern skipped: %s", code.id, reason)


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


def _version(codes: Sequence[CodeEntry], nlp: Language) -> str:
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
