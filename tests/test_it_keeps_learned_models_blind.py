"""The learned suggester: per coder while blind, from the coder's own codings and consensus."""

import pytest

from codebook.models import Coding, LearnedModel, Origin, Suggestion, SuggestionRun
from codebook.reliability.settle import settle_disagreement
from codebook.suggestion_runs import (
    codings_added,
    execute_run,
    model_needs_training,
    train_model,
    training_examples,
)
from tests.suggest_data import add_interview

BUDGET = [
    "The budget was cut again this year.",
    "Our budget for the garden is tiny.",
    "Money for the budget never came.",
]
TRUST = [
    "Residents trusted the volunteers quickly.",
    "Trust grew between neighbours and staff.",
    "They trusted us with the keys.",
]
OTHER = ["We met on Tuesdays.", "The weather was fine.", "Lunch was at noon."]


@pytest.fixture
def coded(study, codes, bob, carol):
    """Two interviews; bob codes budget talk as Inhibitor, carol codes trust as Identity work."""
    interviews = []
    for n in range(2):
        sentences = BUDGET + TRUST + OTHER
        interview = add_interview(study, f"Team {n}", sentences[n:] + sentences[:n])
        interviews.append(interview)
        for sentence in BUDGET:
            _code(interview, codes["inhibitor"], bob, sentence)
        for sentence in TRUST:
            _code(interview, codes["identity"], carol, sentence)
    return interviews


def _code(interview, code, coder, sentence, **extra):
    start = interview.text.index(sentence)
    return Coding.objects.create(
        interview=interview,
        code=code,
        coder=coder,
        start=start,
        end=start + len(sentence),
        quote=sentence,
        **extra,
    )


def test_a_blind_coders_examples_hold_only_their_own_codes(study, codes, bob, coded):
    examples, groups, labels = training_examples(study, bob)
    assert labels == [codes["inhibitor"].pk]
    trust_examples = [codes_ for text, codes_ in examples if "trust" in text.lower()]
    # Carol's Identity work codings are negatives for bob, never positives.
    assert trust_examples and all(not codes_ for codes_ in trust_examples)
    assert set(groups) == {interview.pk for interview in coded}


def test_a_blind_coders_model_never_learns_another_coders_codes(study, codes, bob, coded):
    model = train_model(study, bob)
    assert model.coder == bob
    assert model.labels == [codes["inhibitor"].pk]


def test_the_consensus_layer_teaches_every_coder(study, codes, bob, alice, coded):
    _code(coded[0], codes["sensemaking"], alice, OTHER[0], origin=Origin.CONSENSUS)
    _, _, labels = training_examples(study, bob)
    assert codes["sensemaking"].pk in labels


def test_without_blind_coding_one_study_model_learns_from_everyone(study, codes, bob, coded):
    study.blind_coding = False
    study.save()
    model = train_model(study, bob)
    assert model.coder is None
    assert sorted(model.labels) == sorted([codes["inhibitor"].pk, codes["identity"].pk])


def test_the_model_is_stored_with_date_size_and_cross_validated_scores(study, bob, coded):
    model = train_model(study, bob)
    assert model.size == len(bytes(model.blob)) > 0
    assert model.trained_at is not None
    assert model.n_examples == 18
    assert model.scores["overall"]["tp"] >= 0


def test_a_learned_run_suggests_the_coders_code_in_a_new_interview(study, codes, bob, coded):
    fresh = add_interview(
        study, "New", ["The budget was cut for the garden.", "We met on Tuesdays."]
    )
    run = SuggestionRun.objects.create(study=study, interview=fresh, suggester="learned", coder=bob)
    execute_run(run)
    assert run.status == "done", run.error
    assert (run.done, run.total) == (2, 2)  # training, then the interview
    suggested = Suggestion.objects.filter(coder=bob, interview=fresh)
    assert {s.code_id for s in suggested} == {codes["inhibitor"].pk}
    assert suggested[0].explanation.startswith("words that weighed most")
    assert "budget" in suggested[0].explanation


def test_a_model_is_retrained_after_enough_new_codings(study, codes, bob, coded, settings):
    settings.COPROD_SUGGEST_RETRAIN_AFTER = 2
    train_model(study, bob)
    assert not model_needs_training(study, bob)
    _code(coded[0], codes["inhibitor"], bob, OTHER[1])
    assert not model_needs_training(study, bob)
    _code(coded[0], codes["inhibitor"], bob, OTHER[2])
    assert model_needs_training(study, bob)


def test_each_blind_coder_keeps_their_own_model(study, bob, carol, coded):
    train_model(study, bob)
    train_model(study, carol)
    assert LearnedModel.objects.filter(study=study).count() == 2


def test_enough_new_codings_retrain_the_model_in_the_background(
    study, codes, bob, coded, settings, django_capture_on_commit_callbacks
):
    settings.COPROD_SUGGEST_RETRAIN_AFTER = 2
    first = train_model(study, bob)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _code(coded[0], codes["inhibitor"], bob, OTHER[1])
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _code(coded[0], codes["inhibitor"], bob, OTHER[2])
    assert len(callbacks) == 1
    retrained = LearnedModel.objects.get(pk=first.pk)
    assert retrained.codings_seen == first.codings_seen + 2


def test_another_coders_codings_do_not_retrain_a_blind_coders_model(
    study, codes, bob, carol, coded, settings, django_capture_on_commit_callbacks
):
    settings.COPROD_SUGGEST_RETRAIN_AFTER = 1
    train_model(study, bob)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _code(coded[0], codes["identity"], carol, OTHER[1])
    assert callbacks == []


def test_a_consensus_coding_counts_toward_every_blind_coders_retraining(
    study, codes, alice, bob, carol, coded, settings, django_capture_on_commit_callbacks
):
    settings.COPROD_SUGGEST_RETRAIN_AFTER = 1
    bobs, carols = train_model(study, bob), train_model(study, carol)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # Settled by alice, who has no model: it teaches bob's and carol's.
        _code(coded[0], codes["sensemaking"], alice, OTHER[1], origin=Origin.CONSENSUS)
    assert len(callbacks) == 2
    for model in (bobs, carols):
        retrained = LearnedModel.objects.get(pk=model.pk)
        assert retrained.codings_seen == model.codings_seen + 1
        assert codes["sensemaking"].pk in retrained.labels


def test_settling_a_disagreement_retrains_the_coders_models(
    study, codes, bob, carol, sam, coded, settings, django_capture_on_commit_callbacks
):
    settings.COPROD_SUGGEST_RETRAIN_AFTER = 1
    first = train_model(study, bob)
    start = coded[0].text.index(BUDGET[0])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # bulk_create, so no post_save: the settling itself must tell the suggester.
        settle_disagreement(
            interview=coded[0],
            code=codes["inhibitor"],
            span=(start, start + len(BUDGET[0])),
            unit="character",
            coders=[bob.pk, carol.pk],
            choice="coder",
            taken_from=bob.pk,
            user=sam,
        )
    assert len(callbacks) == 1
    assert LearnedModel.objects.get(pk=first.pk).codings_seen == first.codings_seen + 1


def test_several_codings_at_once_retrain_once(
    study, codes, bob, coded, settings, django_capture_on_commit_callbacks
):
    settings.COPROD_SUGGEST_RETRAIN_AFTER = 2
    train_model(study, bob)
    rows = [
        Coding(
            interview=coded[1],
            code=codes["inhibitor"],
            coder=bob,
            start=coded[1].text.index(sentence),
            end=coded[1].text.index(sentence) + len(sentence),
            quote=sentence,
            origin=Origin.SEARCH,
        )
        for sentence in OTHER
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        Coding.objects.bulk_create(rows)
        codings_added(study.pk, bob.pk, Origin.SEARCH, len(rows))
    assert len(callbacks) == 1  # 3 new codings crossed 2 once
