"""A lookup lemmatizer keyed by the lower-cased word, registered with spaCy on first use.

This module imports spaCy when it is imported: only import it from inside a
function (``pipeline.load_pipeline`` does).
"""

from __future__ import annotations

from spacy.errors import Errors
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token

FACTORY = "coprod_lookup_lemmatizer"


class LowerCaseLookupLemmatizer(Lemmatizer):
    """Look up the lower-cased word, and lower-case the lemma.

    spaCy's lookup tables are keyed by the written form, so a sentence-initial
    "Budgets" would keep its plural. Indicator terms match regardless of case,
    and with lemmas that depend only on the lower-cased word, a lemma match
    finds every lower-case match too, so one matcher does for both.
    """

    _table = None
    _lemma_ids: dict[int, int] | None = None  # lower-cased word hash -> lemma hash

    def initialize(self, get_examples=None, *, nlp=None, lookups=None):
        super().initialize(get_examples, nlp=nlp, lookups=lookups)
        self._table = self.lookups.get_table("lemma_lookup")
        self._lemma_ids = None

    def __call__(self, doc: Doc) -> Doc:
        """Set each token's lemma, looking each lower-cased word up once per process.

        The lemma depends only on the lower-cased word, so it is cached by that word's
        hash; spaCy's own loop looked the table up and hashed the lemma token by token,
        which cost two thirds of the pipeline's time. (The cache holds string hashes:
        inside a spaCy ``memory_zone``, which coprod does not use, they could outlive
        their strings.)
        """
        if not self._validated:
            self._validate_tables(Errors.E1004)
        cache = self._lemma_ids
        if cache is None:
            cache = self._lemma_ids = {}
        overwrite, strings = self.overwrite, self.vocab.strings
        try:
            for token in doc:
                if overwrite or token.lemma == 0:
                    lemma = cache.get(token.lower)
                    if lemma is None:
                        lemma = strings.add(self.lookup_lemmatize(token)[0])
                        cache[token.lower] = lemma
                    token.lemma = lemma
            return doc
        except Exception as e:
            self.get_error_handler()(self.name, self, [doc], e)

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
