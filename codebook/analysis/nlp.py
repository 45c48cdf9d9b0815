"""spaCy for searching and counting words; imported lazily, never when the web process starts.

The shared loader ``codebook.suggesting.pipeline.load_pipeline(lang)`` (blank
pipeline, sentencizer, lookup lemmatizer) is used when it is installed; until
then a local stand-in builds the same pipeline.
"""

import functools
import re
from collections.abc import Iterator


def load_pipeline(lang: str):
    """Return the shared spaCy pipeline for ``lang`` (cached per process)."""
    try:
        from codebook.suggesting.pipeline import load_pipeline as shared
    except ImportError:
        return _local_pipeline(lang)
    return shared(lang)


@functools.cache
def _local_pipeline(lang: str):
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize()
    except (ValueError, KeyError, ImportError):
        # No lookup table for this language: words are still found by their form.
        nlp.remove_pipe("lemmatizer")
    return nlp


def lemmas_of(nlp, doc) -> list[str]:
    """Return the lemma of each token of ``doc``, looked up in lower case.

    Lookup tables list lower-case forms, so "Citizens" at the start of a
    sentence would otherwise keep its own form.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return [token.lower_ for token in doc]
    from spacy.tokens import Doc

    lower = Doc(
        nlp.vocab,
        words=[token.lower_ for token in doc],
        spaces=[bool(token.whitespace_) for token in doc],
    )
    lower = nlp.get_pipe("lemmatizer")(lower)
    return [(token.lemma_ or token.text).lower() for token in lower]


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Return the sentences of ``text`` as ``[start, end)`` spans in code points."""
    doc = load_pipeline(lang)(text)
    return [(sentence.start_char, sentence.end_char) for sentence in doc.sents]


def find_lemmas(text: str, lang: str, query: str) -> list[tuple[int, int]]:
    """Return every span of ``text`` whose tokens' lemmas are those of ``query``, in order.

    The text is processed paragraph by paragraph so that long transcripts stay
    under spaCy's length limit.
    """
    nlp = load_pipeline(lang)
    query_doc = nlp.make_doc(query)
    wanted = [
        lemma
        for token, lemma in zip(query_doc, lemmas_of(nlp, query_doc), strict=True)
        if not token.is_space
    ]
    if not wanted:
        return []
    found: list[tuple[int, int]] = []
    for offset, doc in _paragraph_docs(nlp, text):
        pairs = [
            (token, lemma)
            for token, lemma in zip(doc, lemmas_of(nlp, doc), strict=True)
            if not token.is_space
        ]
        tokens = [token for token, _ in pairs]
        lemmas = [lemma for _, lemma in pairs]
        for index in range(len(tokens) - len(wanted) + 1):
            if lemmas[index : index + len(wanted)] == wanted:
                first, last = tokens[index], tokens[index + len(wanted) - 1]
                found.append((offset + first.idx, offset + last.idx + len(last.text)))
    return found


def _paragraph_docs(nlp, text: str) -> Iterator[tuple[int, object]]:
    starts = [0] + [match.end() for match in re.finditer(r"\n\n+", text)]
    ends = [match.start() for match in re.finditer(r"\n\n+", text)] + [len(text)]
    pieces = [(start, text[start:end]) for start, end in zip(starts, ends, strict=True)]
    docs = nlp.tokenizer.pipe(piece for _, piece in pieces)
    for (start, _), doc in zip(pieces, docs, strict=True):
        yield start, doc


def word_counts(texts: list[str], lang: str) -> dict[str, int]:
    """Count the lower-cased words of ``texts`` with spaCy's tokenizer, without stop words,
    numbers and punctuation."""
    nlp = load_pipeline(lang)
    stop_words = nlp.Defaults.stop_words
    counts: dict[str, int] = {}
    for doc in nlp.tokenizer.pipe(texts):
        for token in doc:
            word = token.lower_
            if token.is_alpha and len(word) > 1 and word not in stop_words:
                counts[word] = counts.get(word, 0) + 1
    return counts
