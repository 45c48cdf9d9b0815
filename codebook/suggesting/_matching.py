"""The term matcher: the last pipe of the terms suggester's pipeline.

It runs spaCy's ``PhraseMatcher`` (on lemmas, or on lower-cased words, or both) and, on
docs holding every word that some token pattern needs, spaCy's ``Matcher``, and leaves
the raw matches on the doc. Matching is a pipe rather than a step after ``nlp.pipe`` so
that the pipeline a run uses is the one the benchmark's "spaCy alone" measures: the same
components as in ``../shared/spacy-notes.md`` ("+ lookup lemmas + PhraseMatcher on
lemmas"). What the matches mean (which code, which passage, what score) stays in
``terms.TermsSuggester``.

This module imports spaCy when it is imported: only import it from inside a function.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

FACTORY = "coprod_term_matcher"
_MATCHES = "coprod_term_matches"  # key in Doc.user_data


class TermMatcher:
    """Find phrase and token-pattern matches; ``doc.user_data`` keeps (key, start, end)."""

    def __init__(self, vocab: Vocab, lemmas: bool, lower_case: bool) -> None:
        self.lemma = PhraseMatcher(vocab, attr="LEMMA") if lemmas else None
        self.lower = PhraseMatcher(vocab, attr="LOWER") if lower_case else None
        self.patterns = Matcher(vocab, validate=True)
        # The Matcher costs about as much as the phrase matchers, so it only runs on docs
        # where the phrase matchers found, for some pattern, every word that each match
        # of it needs (its triggers: one match key per required token).
        self.pattern_triggers: list[frozenset[int]] = []
        self.patterns_need_no_trigger = False

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[_MATCHES] = self.match(doc)
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Return (match key, first token, end token) for every match in the doc."""
        found = self.lemma(doc) if self.lemma is not None else []
        if self.lower is not None:
            found += self.lower(doc)
        if self.patterns_need_no_trigger or (found and self._triggered(found)):
            found += self.patterns(doc)
        return found

    def _triggered(self, found: list[tuple[int, int, int]]) -> bool:
        if not self.pattern_triggers:
            return False
        seen = {key for key, _, _ in found}
        return any(triggers <= seen for triggers in self.pattern_triggers)


def matches_of(doc: Doc) -> list[tuple[int, int, int]] | None:
    """Return the matches a ``TermMatcher`` left on the doc, or None if none ran."""
    return doc.user_data.get(_MATCHES)


def register() -> None:
    """Register the factory once per process."""
    if Language.has_factory(FACTORY):
        return
    Language.factory(FACTORY, default_config={"lemmas": True, "lower_case": False})(_make)


def _make(nlp: Language, name: str, lemmas: bool, lower_case: bool) -> TermMatcher:
    return TermMatcher(nlp.vocab, lemmas, lower_case)
