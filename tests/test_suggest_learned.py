import random
from collections import Counter

import pytest

from codebook.suggesting.evaluate import ScoreReport, label_set_scores
from codebook.suggesting.learned import LearnedSuggester, TrainedModel, _assign_folds
from codebook.suggesting.records import Segment

CODE_WORDS = {
    "budget": ["budget", "money", "funding", "savings", "costs"],
    "trust": ["trust", "honest", "believe", "promise", "rely"],
    "youth": ["young", "youth", "teenagers", "school", "kids"],
}
FILLER = (
    ["we", "they", "it", "was", "the", "a", "and", "then", "so", "really", "think", "know"]
    + ["people", "time", "there", "council", "meeting", "that", "very", "just", "what"]
    + ["about", "would", "could", "year", "started", "some"]
)


def generated_study(seed, interviews=8, per_interview=60):
    """Return (examples, groups): sentences with 0 or 1 code, grouped by interview."""
    rng = random.Random(seed)
    examples, groups = [], []
    for interview in range(interviews):
        for _ in range(per_interview):
            words = rng.choices(FILLER, k=rng.randint(6, 12))
            code = rng.choice([None, None, "budget", "budget", "trust", "youth"])
            if code:
                for _ in range(rng.randint(1, 2)):
                    words.insert(rng.randrange(len(words)), rng.choice(CODE_WORDS[code]))
            examples.append((" ".join(words).capitalize() + ".", {code} if code else set()))
            groups.append(interview)
    return examples, groups


LABELS = list(CODE_WORDS)


@pytest.fixture(scope="module")
def study():
    return generated_study(seed=3)


@pytest.fixture(scope="module")
def model(study):
    examples, groups = study
    training = [example for example, group in zip(examples, groups, strict=True) if group < 6]
    return LearnedSuggester.train(training, LABELS, seed=7)


def held_out(study):
    examples, groups = study
    return [example for example, group in zip(examples, groups, strict=True) if group >= 6]


def test_model_beats_constant_baselines_on_held_out_interviews(study, model):
    examples, groups = study
    test = held_out(study)
    gold = [codes for _, codes in test]
    predicted = [
        {label for label, p in by_label.items() if p >= 0.5}
        for by_label in model.predict(text for text, _ in test)
    ]
    majority = Counter(
        code
        for (_, codes), group in zip(examples, groups, strict=True)
        if group < 6
        for code in codes
    ).most_common(1)[0][0]
    model_f1 = label_set_scores(predicted, gold, LABELS).overall.f1
    none_f1 = label_set_scores([set() for _ in test], gold, LABELS).overall.f1
    majority_f1 = label_set_scores([{majority} for _ in test], gold, LABELS).overall.f1
    assert model_f1 > max(none_f1, majority_f1)
    assert model_f1 > 0.8


def test_same_examples_and_seed_give_the_same_model(study, model):
    examples, groups = study
    training = [example for example, group in zip(examples, groups, strict=True) if group < 6]
    again = LearnedSuggester.train(training, LABELS, seed=7)
    assert again.version == model.version
    texts = [text for text, _ in held_out(study)[:5]]
    assert again.predict(texts) == model.predict(texts)


def test_model_survives_a_round_trip_through_bytes(study, model):
    restored = TrainedModel.from_bytes(model.to_bytes())
    texts = [text for text, _ in held_out(study)[:5]]
    assert restored.predict(texts) == model.predict(texts)
    assert restored.meta == model.meta


def test_model_meta_tells_what_it_learned_from(model):
    assert model.meta["n_examples"] == 360
    assert model.labels == LABELS
    assert model.meta["trained_at"].endswith("+00:00")
    assert model.version.startswith("textcat-bow-")
    assert model.scores is None


def test_it_rejects_bytes_that_are_not_a_model():
    with pytest.raises(ValueError, match="not a coprod"):
        TrainedModel.from_bytes(b"\x81\xa6format\x63")
    with pytest.raises(ValueError, match="not a coprod"):
        TrainedModel.from_bytes(b"\xc1 certainly not msgpack")


def test_explanation_names_the_words_that_weighed_most(model):
    text = "So the council meeting was about the budget and the money."
    words = model.weighty_words(text, "budget")
    assert set(words) <= {"budget", "money", "council", "meeting"}
    assert words[0] in {"budget", "money"}


def test_suggest_merges_neighbouring_sentences_and_explains(model):
    text = "We lost the budget money. Then funding stopped. It was the year they started."
    segments = [Segment(0, 25, 0), Segment(26, 47, 0), Segment(48, len(text), 0)]
    suggestions = LearnedSuggester(model).suggest(text, segments)
    budget = [s for s in suggestions if s.code_id == "budget"]
    assert [(s.start, s.end) for s in budget] == [(0, 47)]
    assert budget[0].suggester == "learned"
    assert budget[0].model_version == model.version
    assert 0.5 <= budget[0].score < 1
    assert budget[0].explanation.startswith("words that weighed most: ")
    assert "funding" in budget[0].explanation or "money" in budget[0].explanation


def test_a_higher_threshold_suggests_less(study, model):
    text = " ".join(text for text, _ in held_out(study)[:40])
    segments, start = [], 0
    for sentence_text, _ in held_out(study)[:40]:
        segments.append(Segment(start, start + len(sentence_text), 0))
        start += len(sentence_text) + 1
    suggester = LearnedSuggester(model)
    assert len(suggester.suggest(text, segments, threshold=0.9)) <= len(
        suggester.suggest(text, segments, threshold=0.5)
    )


def test_cross_validation_holds_out_whole_interviews(study):
    examples, groups = study
    report = LearnedSuggester.cross_validate(examples, LABELS, groups=groups, folds=4, seed=1)
    assert list(report.per_code) == LABELS
    support = report.overall.tp + report.overall.fn
    assert support == sum(len(codes) for _, codes in examples)
    assert report.overall.f1 > 0.8
    model = LearnedSuggester.train(examples[:50], LABELS, scores=report)
    assert model.scores == report
    assert isinstance(model.scores, ScoreReport)


def test_folds_never_split_a_group():
    groups = ["a"] * 5 + ["b"] * 3 + ["c"] * 3 + ["d"] * 1
    fold_of = _assign_folds(len(groups), groups, 2, seed=0)
    for group in set(groups):
        assert len({f for f, g in zip(fold_of, groups, strict=True) if g == group}) == 1
    assert sorted(Counter(fold_of).values()) == [6, 6]


def test_without_folds_each_group_is_one_fold():
    assert _assign_folds(4, ["x", "y", "x", "z"], None, seed=0) == [0, 1, 0, 2]


def test_it_needs_two_groups_to_hold_one_out():
    with pytest.raises(ValueError, match="two groups"):
        _assign_folds(3, ["x", "x", "x"], None, seed=0)


def test_it_refuses_to_train_without_labels(study):
    with pytest.raises(ValueError, match="no labels"):
        LearnedSuggester.train(study[0][:10], [])


def test_training_leaves_the_process_random_state_alone(study):
    import random as process_random

    process_random.seed(99)
    expected = process_random.random()
    process_random.seed(99)
    LearnedSuggester.train(study[0][:30], LABELS, seed=5)
    assert process_random.random() == expected
