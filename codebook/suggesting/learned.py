"""Learn codes from a study's codings and suggest them for new passages.

Examples are ``(passage text, set of code ids)``. Include uncoded sentences with
an empty set: a model that has only seen coded passages suggests codes
everywhere.

Blind coding: the caller chooses which codings become examples. When the study
is blind, pass only the coder's own codings plus the consensus layer, never
another coder's codings, or the suggestions would show one coder what the other
coded.

The model is spaCy's ``textcat_multilabel`` with the bag-of-words architecture:
it trains in seconds on a CPU, and it learns the wording it was shown rather
than the idea behind it, so report its quality on held-out interviews
(``cross_validate`` with ``groups``), not on the passages it learned from.
"""

from __future__ import annotations

import hashlib
import random
import zlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from codebook.suggesting.evaluate import ScoreReport, label_set_scores
from codebook.suggesting.records import Segment, Suggestion
from codebook.suggesting.segments import group_adjacent

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import MultiLabel_TextCategorizer

SUGGESTER = "learned"
ARCHITECTURE = "spacy.TextCatBOW.v3"
FORMAT = 1
# Chosen on generated studies scored on held-out interviews: a higher rate
# than spaCy's default learns codes from a few dozen passages each, and more
# epochs only fit the training passages more closely.
EPOCHS = 10
BATCH_SIZE = 32
LEARN_RATE = 0.05
# Hashed word buckets. Weights are (buckets x labels) floats and the optimizer
# updates all of them at every step, so this sets training time and blob size;
# a study's interviewees use far fewer distinct words.
FEATURE_BUCKETS = 2**15
EXPLAINED_WORDS = 3

Example = tuple[str, Iterable[Hashable]]


@dataclass
class TrainedModel:
    """A trained pipeline and what is known about it (``meta``, plain data)."""

    nlp: Language
    meta: dict[str, Any]

    @property
    def labels(self) -> list[Hashable]:
        return self.meta["labels"]

    @property
    def version(self) -> str:
        return self.meta["version"]

    @property
    def scores(self) -> ScoreReport | None:
        """Return the cross-validated scores kept with the model, if any."""
        scores = self.meta.get("scores")
        return ScoreReport.from_dict(scores) if scores else None

    def predict(self, texts: Iterable[str]) -> list[dict[Hashable, float]]:
        """Return each text's probability of every label."""
        keys = list(zip(self.labels, _label_keys(self.labels), strict=True))
        return [
            {label: doc.cats[key] for label, key in keys}
            for doc in self.nlp.pipe((_model_text(text) for text in texts), batch_size=64)
        ]

    def weighty_words(self, text: str, label: Hashable, n: int = EXPLAINED_WORDS) -> list[str]:
        """Return the words of ``text`` whose removal lowers ``label``'s score most.

        One extra prediction per distinct word; cheap for a passage, so call it
        for suggestions, not for every candidate.
        """
        from spacy.tokens import Doc

        textcat = cast("MultiLabel_TextCategorizer", self.nlp.get_pipe("textcat_multilabel"))
        column = textcat.labels.index(_label_keys([label])[0])
        doc = self.nlp.make_doc(_model_text(text))
        words = [token.text for token in doc]
        candidates = list(dict.fromkeys(t.text for t in doc if t.is_alpha and not t.is_stop))
        if not candidates:
            candidates = list(dict.fromkeys(t.text for t in doc if t.is_alpha))
        if not candidates:
            return []
        variants = [doc] + [
            Doc(self.nlp.vocab, words=[w for w in words if w != word] or [" "])
            for word in candidates
        ]
        scores = textcat.predict(variants)
        base = float(scores[0][column])
        drops = [
            (base - float(row[column]), word)
            for row, word in zip(scores[1:], candidates, strict=True)
        ]
        drops.sort(key=lambda drop: -drop[0])
        return [word for drop, word in drops[:n] if drop > 0]

    def to_bytes(self) -> bytes:
        """Pack pipeline config, weights and meta into one blob for the database."""
        import srsly

        return srsly.msgpack_dumps(
            {
                "format": FORMAT,
                "meta": self.meta,
                "config": self.nlp.config.to_str(),
                # Untouched feature buckets stay zero, so weights compress well.
                "weights": zlib.compress(self.nlp.to_bytes(), 6),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> TrainedModel:
        """Rebuild a model packed with ``to_bytes``."""
        import srsly
        from spacy.util import load_model_from_config
        from thinc.api import Config

        unknown = ValueError("not a coprod learned-suggester model of a known format")
        try:
            payload = srsly.msgpack_loads(data)
        except Exception as exc:  # msgpack raises a different error per kind of damage
            raise unknown from exc
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise unknown
        nlp = load_model_from_config(Config().from_str(payload["config"]), auto_fill=False)
        nlp.from_bytes(zlib.decompress(payload["weights"]))
        return cls(nlp, payload["meta"])


class LearnedSuggester:
    """Suggest the codes a trained model gives candidate segments."""

    name = SUGGESTER

    def __init__(self, model: TrainedModel) -> None:
        self.model = model

    @classmethod
    def train(
        cls,
        examples: Sequence[Example],
        labels: Sequence[Hashable],
        *,
        epochs: int = EPOCHS,
        seed: int = 0,
        lang: str = "en",
        scores: ScoreReport | None = None,
    ) -> TrainedModel:
        """Train a model on the examples; the same examples and seed give the same model.

        Pass the report of ``cross_validate`` as ``scores`` to keep it with the model.
        """
        import spacy

        examples, labels = list(examples), list(labels)
        nlp = _fit(examples, labels, epochs=epochs, seed=seed, lang=lang)
        code_sets = [set(codes) for _, codes in examples]
        counts = [sum(1 for codes in code_sets if label in codes) for label in labels]
        weights = nlp.to_bytes()
        meta = {
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "version": f"textcat-bow-{hashlib.sha256(weights).hexdigest()[:12]}",
            "n_examples": len(examples),
            "labels": labels,
            "label_counts": counts,
            "epochs": epochs,
            "seed": seed,
            "lang": lang,
            "architecture": ARCHITECTURE,
            "spacy_version": spacy.__version__,
            "scores": scores.to_dict() if scores else None,
        }
        return TrainedModel(nlp, meta)

    @classmethod
    def cross_validate(
        cls,
        examples: Sequence[Example],
        labels: Sequence[Hashable],
        *,
        groups: Sequence[Hashable] | None = None,
        folds: int | None = None,
        threshold: float = 0.5,
        epochs: int = EPOCHS,
        seed: int = 0,
        lang: str = "en",
    ) -> ScoreReport:
        """Score models trained without each fold on that fold, per label and pooled.

        With ``groups`` (an interview per example) whole interviews are held out:
        one fold per interview, or ``folds`` folds of whole interviews. Without,
        examples are shuffled into ``folds`` (default 5) folds. Predictions of
        all folds are pooled before counting, which steadies small folds.
        """
        examples = list(examples)
        fold_of = _assign_folds(len(examples), groups, folds, seed)
        predicted: list[set[Hashable]] = [set() for _ in examples]
        for fold in sorted(set(fold_of)):
            held_out = [i for i, f in enumerate(fold_of) if f == fold]
            training = [example for example, f in zip(examples, fold_of, strict=True) if f != fold]
            model = cls.train(training, labels, epochs=epochs, seed=seed, lang=lang)
            probabilities = model.predict(examples[i][0] for i in held_out)
            for index, by_label in zip(held_out, probabilities, strict=True):
                predicted[index] = {label for label, p in by_label.items() if p >= threshold}
        gold = [set(codes) for _, codes in examples]
        return label_set_scores(predicted, gold, labels=labels)

    def suggest(
        self, text: str, segments: Sequence[Segment], threshold: float = 0.5
    ) -> list[Suggestion]:
        """Suggest every code scoring ``threshold`` or more, merging neighbouring hits.

        A merged passage scores as its best sentence; the explanation names the
        words that weighed most for the code in the whole passage.
        """
        ordered = sorted(segments, key=lambda segment: segment.start)
        probabilities = self.model.predict(text[s.start : s.end] for s in ordered)
        suggestions = []
        for label in self.model.labels:
            hits = {i: p[label] for i, p in enumerate(probabilities) if p[label] >= threshold}
            for run in group_adjacent(ordered, hits):
                start, end = ordered[run[0]].start, ordered[run[-1]].end
                words = self.model.weighty_words(text[start:end], label)
                explanation = (
                    "words that weighed most: " + ", ".join(words)
                    if words
                    else "no single word weighed most"
                )
                suggestions.append(
                    Suggestion(
                        start=start,
                        end=end,
                        code_id=label,
                        score=min(1.0, max(0.0, max(hits[index] for index in run))),
                        suggester=SUGGESTER,
                        model_version=self.model.version,
                        explanation=explanation,
                    )
                )
        suggestions.sort(key=lambda suggestion: (suggestion.start, -suggestion.score))
        return suggestions


def _fit(
    examples: Sequence[Example], labels: Sequence[Hashable], *, epochs: int, seed: int, lang: str
) -> Language:
    import numpy

    # spaCy seeds the process-wide generators; give the host process its own back.
    python_state, numpy_state = random.getstate(), numpy.random.get_state()
    try:
        return _fit_seeded(examples, labels, epochs=epochs, seed=seed, lang=lang)
    finally:
        random.setstate(python_state)
        numpy.random.set_state(numpy_state)


def _fit_seeded(
    examples: Sequence[Example], labels: Sequence[Hashable], *, epochs: int, seed: int, lang: str
) -> Language:
    import spacy
    from spacy.training import Example as SpacyExample
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam

    if not labels:
        raise ValueError("no labels to learn")
    keys = _label_keys(labels)
    if len(set(keys)) != len(keys):
        raise ValueError("labels must stay distinct when written as text")
    fix_random_seed(seed)
    nlp = spacy.blank(lang)
    model = {
        "@architectures": ARCHITECTURE,
        "exclusive_classes": False,
        "ngram_size": 1,
        "no_output_layer": False,
        "length": FEATURE_BUCKETS,
    }
    textcat = cast(
        "MultiLabel_TextCategorizer",
        nlp.add_pipe("textcat_multilabel", config={"model": model}),
    )
    for key in keys:
        textcat.add_label(key)
    training = []
    for text, codes in examples:
        codes = set(codes)
        cats = {key: float(label in codes) for label, key in zip(labels, keys, strict=True)}
        doc = nlp.make_doc(_model_text(text))
        if len(doc):
            training.append(SpacyExample.from_dict(doc, {"cats": cats}))
    if not training:
        raise ValueError("no examples with text to learn from")
    optimizer = Adam(LEARN_RATE)
    nlp.initialize(lambda: training, sgd=optimizer)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(training)
        for batch in minibatch(training, size=BATCH_SIZE):
            nlp.update(batch, sgd=optimizer)
    return nlp


def _assign_folds(
    n: int, groups: Sequence[Hashable] | None, folds: int | None, seed: int
) -> list[int]:
    if folds is not None and folds < 2:
        raise ValueError("need at least two folds to hold one out")
    if groups is None:
        folds = folds or 5
        if not 2 <= folds <= n:
            raise ValueError(f"cannot make {folds} folds of {n} examples")
        order = list(range(n))
        random.Random(seed).shuffle(order)
        fold_of = [0] * n
        for position, index in enumerate(order):
            fold_of[index] = position % folds
        return fold_of
    if len(groups) != n:
        raise ValueError(f"{len(groups)} groups for {n} examples")
    distinct = list(dict.fromkeys(groups))
    if len(distinct) < 2:
        raise ValueError("need at least two groups to hold one out")
    if folds is None or folds >= len(distinct):
        fold_of_group = {group: index for index, group in enumerate(distinct)}
    else:
        # Largest groups first, each to the fold with the fewest examples.
        sizes = {group: 0 for group in distinct}
        for group in groups:
            sizes[group] += 1
        fold_sizes = [0] * folds
        fold_of_group = {}
        for group in sorted(distinct, key=lambda g: -sizes[g]):
            fold = fold_sizes.index(min(fold_sizes))
            fold_of_group[group] = fold
            fold_sizes[fold] += sizes[group]
    return [fold_of_group[group] for group in groups]


def _label_keys(labels: Iterable[Hashable]) -> list[str]:
    return [str(label) for label in labels]


def _model_text(text: str) -> str:
    # Bag-of-words features are case-sensitive; with a few hundred examples a
    # capitalised sentence-initial word should not count as a new word.
    return text.lower()
