"""A lookup lemmatizer that folds case, registered with spaCy on first use.

This module imports spaCy when it is imported: only import it from inside a
function (``pipeline.load_pipeline`` does).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Token

FACTORY = "coprod_lookup_lemmatizer"


class CaseFoldingLookupLemmatizer(Lemmatizer):
    """Look a token up as written, then lower-cased, and lower-case what is left.

    spaCy's lookup tables are keyed by the written form, so a sentence-initial
    "Budgets" would keep its plural; indicator terms are matched regardless of
    case, so lemmas are lower-cased too.
    """

    _table = None

    def initialize(self, get_examples=None, *, nlp=None, lookups=None):
        super().initialize(get_examples, nlp=nlp, lookups=lookups)
        self._table = self.lookups.get_table("lemma_lookup")

    def lookup_lemmatize(self, token: Token) -> list[str]:
        table = self._table
        if table is None:
            table = self._table = self.lookups.get_table("lemma_lookup")
        # Integer keys skip re-hashing the string: the table is keyed by hash.
        lemma = table.get(token.orth)
        if lemma is None:
            lemma = table.get(token.lower, token.lower_)
        return [lemma.lower()]


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
    return CaseFoldingLookupLemmatizer(
        nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer
    )
