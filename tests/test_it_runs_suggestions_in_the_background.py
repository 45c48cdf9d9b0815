"""Suggestion runs: stored per coder, never codings, with progress the page can follow."""

import pytest

from codebook.models import Coding, RunStatus, Suggestion, SuggestionRun, SuggestionStatus
from codebook.suggesting import records
from codebook.suggestion_runs import execute_run
from tests.suggest_data import add_interview, give_terms, run_terms


def test_it_suggests_passages_with_the_matched_terms(interview, codes, bob):
    give_terms(codes)
    run = run_terms(interview.study, bob, interview)
    assert run.status == RunStatus.DONE
    found = {
        (interview.text[s.start : s.end], s.code.name, s.explanation)
        for s in Suggestion.objects.filter(coder=bob)
    }
    assert (
        "The budget was tight, and the targets did not help.",
        "Inhibitor",
        "matched: budget, target",
    ) in found
    assert any(name == "Identity work" and "opening doors" in why for _, name, why in found)


def test_suggestions_are_not_codings(interview, codes, bob):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    assert Suggestion.objects.filter(coder=bob).exists()
    assert not Coding.objects.exists()


def test_suggestions_skip_the_interviewers_turns(interview, codes, bob):
    codes["sensemaking"].indicator_terms = "manager\ncafé"
    codes["sensemaking"].save()
    run_terms(interview.study, bob, interview)
    # "café" and "manager" occur only in the interviewer's questions.
    assert not Suggestion.objects.exists()


def test_it_stores_score_model_version_and_run(interview, codes, bob):
    give_terms(codes)
    run = run_terms(interview.study, bob, interview)
    suggestion = Suggestion.objects.filter(coder=bob).first()
    assert 0 < suggestion.score <= 1
    assert suggestion.suggester == "terms"
    assert suggestion.model_version
    assert suggestion.run == run
    assert run.suggested == Suggestion.objects.filter(coder=bob).count()


def test_a_second_run_replaces_open_suggestions_and_keeps_decided_ones(interview, codes, bob):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    first = Suggestion.objects.filter(coder=bob).first()
    first.status, first.decided = SuggestionStatus.REJECTED, first.created
    first.save()
    open_before = Suggestion.objects.filter(coder=bob, status="open").count()
    run_terms(interview.study, bob, interview)
    assert Suggestion.objects.filter(coder=bob, status="open").count() == open_before
    assert Suggestion.objects.filter(pk=first.pk, status="rejected").exists()


def test_a_study_run_counts_one_step_per_interview_and_saves_each(
    study, interview, codes, bob, monkeypatch
):
    monkeypatch.setattr("codebook.suggestion_runs.PROGRESS_EVERY", 0)
    give_terms(codes)
    add_interview(study, "Second", ["The budget again.", "Nothing here."])
    add_interview(study, "Third", ["Targets everywhere."])
    run = SuggestionRun.objects.create(study=study, suggester="terms", coder=bob)
    seen = []

    def follow(progress):
        # What the page's poll would read from the database at this moment.
        stored = SuggestionRun.objects.get(pk=progress.pk)
        seen.append((stored.status, stored.done, stored.total))

    execute_run(run, on_progress=follow)
    assert seen == [("running", 1, 3), ("running", 2, 3), ("running", 3, 3)]
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == ("done", 3, 3)
    assert run.started <= run.finished


def test_quick_steps_save_their_progress_only_now_and_then(
    study, interview, codes, bob, monkeypatch
):
    monkeypatch.setattr("codebook.suggestion_runs.PROGRESS_EVERY", 3600)
    give_terms(codes)
    add_interview(study, "Second", ["The budget again.", "Nothing here."])
    run = SuggestionRun.objects.create(study=study, suggester="terms", coder=bob)
    seen = []

    def follow(progress):
        seen.append(SuggestionRun.objects.get(pk=progress.pk).done)

    execute_run(run, on_progress=follow)
    assert seen == [0, 0]  # nothing written between the start and the end
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == ("done", 2, 2)
    assert run.suggested == Suggestion.objects.filter(coder=bob).count() > 0


def test_a_failing_run_says_why(interview, codes, bob, monkeypatch):
    give_terms(codes)

    def broken(*args, **kwargs):
        raise RuntimeError("pipeline missing")

    monkeypatch.setattr("codebook.suggestion_runs.suggest_for", broken)
    run = run_terms(interview.study, bob, interview)
    assert run.status == RunStatus.FAILED
    assert "pipeline missing" in run.error


def test_the_database_refuses_a_bad_suggestion_and_the_interview_keeps_its_old_ones(
    interview, codes, bob, monkeypatch
):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    before = set(Suggestion.objects.values_list("pk", flat=True))
    good = records.Suggestion(0, 5, codes["inhibitor"].pk, 0.5, "terms", "v", "matched: x")
    bad = good._replace(start=10, end=20, score=1.5)  # outside [0, 1]: a CHECK refuses it
    monkeypatch.setattr("codebook.suggestion_runs.suggest_for", lambda *a: [good, bad])
    run = run_terms(interview.study, bob, interview)
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("IntegrityError")  # the driver's error, as Django's
    # One transaction per interview: neither the deletion nor the good row stayed.
    assert set(Suggestion.objects.values_list("pk", flat=True)) == before


def test_a_learned_run_without_codings_says_so(interview, codes, bob):
    run = SuggestionRun.objects.create(study=interview.study, suggester="learned", coder=bob)
    execute_run(run)
    assert run.status == RunStatus.DONE
    assert "No codings to learn from" in run.error
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("user, status", [("bob", 200), ("vic", 403), ("charlie", 404)])
def test_starting_a_run_needs_a_coder(client, request, interview, codes, user, status):
    give_terms(codes)
    client.force_login(request.getfixturevalue(user))
    url = f"/s/{interview.study.slug}/interviews/{interview.pk}/suggestions/run/"
    response = client.post(url, {"suggester": "terms"}, follow=True)
    assert response.status_code == status
    if status == 200:
        assert "suggestions made" in response.content.decode()


def test_the_run_progress_polls_while_running_and_stops_when_done(client, interview, codes, bob):
    give_terms(codes)
    run = SuggestionRun.objects.create(study=interview.study, suggester="terms", coder=bob)
    client.force_login(bob)
    url = f"/s/{interview.study.slug}/suggestions/runs/{run.pk}/"
    waiting = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "<progress" in waiting
    execute_run(run)
    response = client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' not in response.content.decode()
    assert "suggestions-changed" in response["HX-Trigger"]


def test_another_coder_cannot_follow_my_run(client, interview, codes, bob, carol):
    run = SuggestionRun.objects.create(study=interview.study, suggester="terms", coder=bob)
    client.force_login(carol)
    assert client.get(f"/s/{interview.study.slug}/suggestions/runs/{run.pk}/").status_code == 404


def test_the_shell_command_suggests_for_every_coder(interview, codes, capsys):
    from django.core.management import call_command

    give_terms(codes)
    call_command("suggest", interview.study.slug, "--interview", interview.title)
    out = capsys.readouterr().out
    assert "bob:" in out and "carol:" in out and "vic" not in out
    assert set(Suggestion.objects.values_list("coder__username", flat=True)) == {
        "alice",
        "sam",
        "bob",
        "carol",
    }
