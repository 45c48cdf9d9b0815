"""Supervisors read precision, recall and F1 of the suggesters, and acceptance in use."""

import pytest
from django.core.management import call_command

from codebook.models import AnchorStatus, Coding, Suggestion, SuggestionQuality
from codebook.suggestion_decisions import accept_suggestion
from codebook.suggestion_quality import evaluate_terms
from codebook.suggestion_runs import training_codings
from tests.conftest import passage_of
from tests.suggest_data import give_terms, run_terms


def _code(interview, code, coder, words):
    start, end = passage_of(interview.text, words)
    return Coding.objects.create(
        interview=interview, code=code, coder=coder, start=start, end=end, quote=words
    )


def test_terms_are_scored_per_sentence_against_the_codings(interview, codes, bob):
    give_terms(codes)
    # The budget sentence is coded (a hit); the "let go" sentence is not (a false positive);
    # the "We asked citizens" sentence is coded but has no term (a miss).
    _code(interview, codes["inhibitor"], bob, "The budget was tight, and the targets did not help.")
    _code(
        interview,
        codes["inhibitor"],
        bob,
        "We asked citizens to design the service with our frontline staff.",
    )
    report, sentences = evaluate_terms(interview.study)
    inhibitor = next(row for row in report["per_code"] if row["code"] == codes["inhibitor"].pk)
    assert (inhibitor["tp"], inhibitor["fp"], inhibitor["fn"]) == (1, 0, 1)
    assert inhibitor["precision"] == 1.0 and inhibitor["recall"] == 0.5
    assert sentences == 5


def _inhibitor_counts(study, codes):
    report, _ = evaluate_terms(study)
    row = next(row for row in report["per_code"] if row["code"] == codes["inhibitor"].pk)
    return row["tp"], row["fp"], row["fn"]


def test_an_accepted_suggestion_is_not_counted_as_a_human_coding(interview, codes, bob):
    # Scored against its own output, a suggester would be right about everything accepted.
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    suggestion = Suggestion.objects.get(coder=bob, code=codes["inhibitor"])
    accept_suggestion(suggestion, interview, bob)
    assert _inhibitor_counts(interview.study, codes) == (0, 1, 0)


def test_a_lost_coding_is_neither_gold_nor_taught(interview, codes, bob):
    give_terms(codes)
    lost = _code(
        interview, codes["inhibitor"], bob, "The budget was tight, and the targets did not help."
    )
    lost.anchor_status = AnchorStatus.LOST
    lost.save()
    assert _inhibitor_counts(interview.study, codes) == (0, 1, 0)
    assert lost not in training_codings(interview.study, bob)


def test_the_command_prints_and_stores_the_figures(interview, codes, bob, capsys):
    give_terms(codes)
    _code(interview, codes["inhibitor"], bob, "The budget was tight, and the targets did not help.")
    call_command("evaluate_suggestions", interview.study.slug)
    out = capsys.readouterr().out
    # Inhibitor: one hit; Identity work: two sentences suggested, none coded.
    assert "terms: precision 0.33  recall 1.00  F1 0.50" in out
    assert "learned: not scored" in out
    assert "Inhibitor" in out
    assert SuggestionQuality.objects.filter(suggester="terms").exists()


def test_the_page_shows_scores_and_acceptance(client, interview, codes, bob, sam):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    decided = list(Suggestion.objects.filter(coder=bob, code=codes["inhibitor"]))
    for n, suggestion in enumerate(decided):
        suggestion.status = "accepted" if n == 0 else "rejected"
        suggestion.decided = suggestion.created
        suggestion.save()
    _code(interview, codes["inhibitor"], bob, "The budget was tight, and the targets did not help.")
    call_command("evaluate_suggestions", interview.study.slug)
    client.force_login(sam)
    html = client.get(f"/s/{interview.study.slug}/suggestions/quality/").content.decode()
    assert "Codebook terms" in html
    assert f"1 of {len(decided)}" in html


@pytest.mark.parametrize(
    "user, status", [("sam", 200), ("alice", 200), ("bob", 403), ("charlie", 404)]
)
def test_only_supervisors_read_the_quality_page(client, request, study, user, status):
    client.force_login(request.getfixturevalue(user))
    assert client.get(f"/s/{study.slug}/suggestions/quality/").status_code == status


def test_a_supervisor_starts_an_evaluation_from_the_page(client, interview, codes, sam):
    give_terms(codes)
    client.force_login(sam)
    response = client.post(f"/s/{interview.study.slug}/suggestions/quality/", follow=True)
    assert response.status_code == 200
    assert SuggestionQuality.objects.filter(study=interview.study, suggester="terms").exists()


def test_the_quality_page_costs_a_fixed_number_of_queries(
    client, study, codes, sam, django_assert_max_num_queries
):
    client.force_login(sam)
    with django_assert_max_num_queries(8):
        client.get(f"/s/{study.slug}/suggestions/quality/")
