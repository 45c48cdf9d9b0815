"""A lookup lemmatizer keyed by the lower-cased word, registered with spaCy on first use.

This module imports spaCy when it is imported: only import it from inside a
function (``pipeline.load_pipeline`` does).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Token

FACTORY = "coprod_lookup_lemmatizer"


class LowerCaseLookupLemmatizer(Lemmatizer):
    """Look up the lower-cased word, and lower-case the lemma.

    spaCy's lookup tables are keyed by the written form, so a sentence-initial
    "Budgets" would keep its plural. Indicator terms match regardless of case,
    and with lemmas that depend only on the lower-cased word, a lemma match
    finds every lower-case match too, so one matcher does for both.
    """

    _table = None

    def initialize(self, get_examples=None, *, nlp=None, lookups=None):
        super().initialize(get_examples, nlp=nlp, lookups=lookups)
        self._table = self.lookups.get_table("lemma_lookup")

    def lookup_lemmatize(self, token: Token) -> list[str]:
        table = self._table
        if table is None:
            table = self._table = self.lookups.get_table("lemma_lookup")
        # An integer key skips re-hashing the string: the table is keyed by hash.
        lemma = table.get(token.lower)
        return [lemma.lower() if lemma else token.lower_]


def register() -> None:
    """Register the lemmatizer factory once per process."""
    if Language.has_factory(FACTORY):
        return
    Language.factory(
        FACTORY,
        assigns=["token.lemma"],
        default_config={"model": None, "mode": "lookup", "overwrite": False, "scorer": None},
    )(_make)


def _make(nlp, model, name, mode, overwrite, scorer):
    return LowerCaseLookupLemmatizer(
        nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer
    )
