"""Load the spaCy pipeline that splits and lemmatises interview text.

spaCy is imported inside the functions, never at module level: importing it
costs about half a second and 100 MB, and the web process must not pay that
until a suggestion is needed.
"""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import Lemmatizer

logger = logging.getLogger(__name__)

# Trained pipelines are loaded without their parser, which is three times
# slower than the senter and splits punctuated transcripts no better.
_SENTENCE_PIPES = ("senter", "sentencizer")

_lock = threading.Lock()


def load_pipeline(lang: str = "en", trained: str | None = None) -> Language:
    """Return the pipeline for ``lang``, or the trained pipeline ``trained``.

    ``trained`` names an installed pipeline package or a pipeline directory.

    Cached per ``(lang, trained)``: callers share one pipeline per process, so
    do not add pipes to it. A ``trained`` name that is not installed falls back
    to the blank pipeline with a warning: suggestions are an aid, and the
    fallback shows in every suggestion's ``model_version``.
    """
    # One argument form for the cache, and one thread building a pipeline.
    with _lock:
        return _load(lang, trained or None)


@functools.cache
def _load(lang: str, trained: str | None) -> Language:
    import spacy

    if trained:
        if spacy.util.is_package(trained) or Path(trained).is_dir():
            return _load_trained(trained)
        logger.warning("spaCy pipeline %r is not installed; using blank %r", trained, lang)
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    lemmas = _add_lemmatizer(nlp)
    nlp.meta["coprod_label"] = (
        f"blank-{lang}{'+lemmas' if lemmas else ''}/spacy-{spacy.__version__}"
    )
    return nlp


def with_pipe(nlp: Language, factory: str, name: str, config: dict) -> Language:
    """Return a new pipeline: ``nlp``'s tokenizer and pipes (the same objects), then one more.

    The shared pipeline of ``load_pipeline`` stays as it is; the new one shares its
    vocabulary and, with the tokenizer and the lemmatizer, their caches of words seen.
    """
    extended = type(nlp)(
        vocab=nlp.vocab, meta=dict(nlp.meta), create_tokenizer=lambda _: nlp.tokenizer
    )
    for pipe_name in nlp.pipe_names:
        extended.add_pipe(pipe_name, source=nlp)
    extended.add_pipe(factory, name=name, config=config)
    return extended


def has_lemmas(nlp: Language) -> bool:
    """Tell whether an enabled pipe of ``nlp`` assigns lemmas."""
    return any("token.lemma" in nlp.get_pipe_meta(name).assigns for name in nlp.pipe_names)


def lemmas_follow_lower_case(nlp: Language) -> bool:
    """Tell whether a token's lemma depends only on its lower-cased form.

    True for the blank pipelines made here; a trained pipeline's lemmas depend
    on context (part of speech), so lower-case matching is needed beside them.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return False
    from codebook.suggesting import _lemmas

    return nlp.get_pipe_config("lemmatizer").get("factory") == _lemmas.FACTORY


def pipeline_label(nlp: Language) -> str:
    """Name the pipeline for ``model_version`` strings."""
    label = nlp.meta.get("coprod_label")
    if label:
        return label
    return f"{nlp.lang}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"


def _add_lemmatizer(nlp: Language) -> bool:
    from codebook.suggesting import _lemmas as lemmas

    lemmas.register()
    lemmatizer = cast("Lemmatizer", nlp.add_pipe(lemmas.FACTORY, name="lemmatizer"))
    try:
        # Raises ValueError when spacy-lookups-data is missing or has no
        # lookup table for this language; segments and lower-case matches
        # still work without lemmas.
        lemmatizer.initialize(nlp=nlp)
    except ValueError as exc:
        nlp.remove_pipe("lemmatizer")
        logger.info("no lemma lookup table for %r: %s", nlp.lang, exc)
        return False
    return True


def _load_trained(name: str) -> Language:
    import spacy

    nlp = spacy.load(name, exclude=["ner", "parser"])
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    if not any(pipe in nlp.pipe_names for pipe in _SENTENCE_PIPES):
        nlp.add_pipe("sentencizer", first=True)
    return nlp
