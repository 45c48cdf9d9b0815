import pytest

from codebook.suggesting.evaluate import (
    ScoreReport,
    Scores,
    label_set_scores,
    sentence_labels,
    sentence_level_scores,
)

# Four sentences of ten characters each.
SENTENCES = [(0, 10), (10, 20), (20, 30), (30, 40)]


def test_a_sentence_is_labelled_when_a_code_covers_half_of_it():
    spans = [(0, 5, "A"), (10, 14, "A"), (20, 26, "B")]
    assert sentence_labels(spans, SENTENCES) == [{"A"}, set(), {"B"}, set()]


def test_overlapping_spans_of_one_code_count_once():
    # Two codings of the same four characters cover 4 of 10, not 8.
    spans = [(0, 4, "A"), (0, 4, "A")]
    assert sentence_labels(spans, SENTENCES) == [set(), set(), set(), set()]


def test_adjacent_spans_of_one_code_add_up():
    spans = [(0, 3, "A"), (3, 6, "A")]
    assert sentence_labels(spans, SENTENCES)[0] == {"A"}


def test_sentence_level_scores_on_a_hand_computed_example():
    # Gold: A on sentences 0 and 1, B on sentence 2.
    gold = [(0, 20, "A"), (20, 30, "B")]
    # Predicted: A on sentence 1 (8 of 10) and 3 (a passage over 2 and 3
    # covering 4 of sentence 2 and all of 3), B on sentence 2.
    predicted = [(12, 20, "A"), (26, 40, "A"), (21, 29, "B")]
    report = sentence_level_scores(predicted, gold, SENTENCES)
    # A: tp = {1}, fp = {3}, fn = {0}: P = 1/2, R = 1/2, F1 = 1/2.
    assert report.per_code["A"] == Scores(0.5, 0.5, 0.5, tp=1, fp=1, fn=1)
    # B: tp = {2}.
    assert report.per_code["B"] == Scores(1.0, 1.0, 1.0, tp=1, fp=0, fn=0)
    # Pooled: tp = 2, fp = 1, fn = 1.
    assert report.overall.precision == pytest.approx(2 / 3)
    assert report.overall.recall == pytest.approx(2 / 3)
    assert report.overall.f1 == pytest.approx(2 / 3)
    assert report.macro_f1 == pytest.approx(0.75)


def test_a_higher_threshold_asks_for_more_coverage():
    gold = [(0, 10, "A")]
    predicted = [(0, 6, "A")]
    assert sentence_level_scores(predicted, gold, SENTENCES).overall.f1 == 1.0
    assert sentence_level_scores(predicted, gold, SENTENCES, threshold=0.8).overall.f1 == 0.0


def test_no_predictions_score_zero_not_an_error():
    report = sentence_level_scores([], [(0, 10, "A")], SENTENCES)
    assert report.overall == Scores(0.0, 0.0, 0.0, tp=0, fp=0, fn=1)


def test_label_set_scores_keeps_only_the_labels_asked_for():
    report = label_set_scores([{"A", "X"}, set()], [{"A"}, {"B"}], labels=["A", "B"])
    assert list(report.per_code) == ["A", "B"]
    assert report.overall == Scores.from_counts(tp=1, fp=0, fn=1)


def test_a_report_survives_a_round_trip_through_plain_data():
    report = label_set_scores([{1}, {2}], [{1}, {1}])
    assert ScoreReport.from_dict(report.to_dict()) == report
