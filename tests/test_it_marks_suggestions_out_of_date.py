"""A corrected transcript makes the interview's open suggestions out of date."""

from codebook.models import Suggestion, SuggestionStatus
from interviews.signals import transcript_corrected
from tests.suggest_data import give_terms, run_terms


def test_a_transcript_correction_marks_open_suggestions_out_of_date(interview, codes, bob):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    accepted = Suggestion.objects.filter(coder=bob).first()
    accepted.status, accepted.decided = SuggestionStatus.ACCEPTED, accepted.created
    accepted.save()
    old = interview.text
    interview.text = old.replace("tight", "very tight")
    interview.save()
    answers = transcript_corrected.send(
        sender=type(interview), interview=interview, old_text=old, new_text=interview.text
    )
    statuses = set(Suggestion.objects.exclude(pk=accepted.pk).values_list("status", flat=True))
    assert statuses == {SuggestionStatus.OUTDATED}
    assert Suggestion.objects.get(pk=accepted.pk).status == SuggestionStatus.ACCEPTED
    outdated = Suggestion.objects.filter(status=SuggestionStatus.OUTDATED).count()
    assert {"suggestions out of date": outdated} in [answer for _, answer in answers]


def test_out_of_date_suggestions_leave_the_workbench_list(client, interview, codes, bob):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    transcript_corrected.send(
        sender=type(interview), interview=interview, old_text="", new_text=interview.text
    )
    client.force_login(bob)
    page = client.get(f"/s/{interview.study.slug}/interviews/{interview.pk}/?suggestions=1")
    assert "0 open suggestions" in page.content.decode()


def test_another_interviews_suggestions_stay_open(study, interview, codes, bob):
    from tests.suggest_data import add_interview

    give_terms(codes)
    other = add_interview(study, "Other", ["The budget again."])
    run_terms(study, bob)
    transcript_corrected.send(
        sender=type(interview), interview=interview, old_text="", new_text=interview.text
    )
    assert Suggestion.objects.filter(interview=other, status="open").exists()


def test_a_run_stores_nothing_made_from_a_text_corrected_meanwhile(
    monkeypatch, client, interview, codes, alice, bob
):
    from codebook import suggestion_runs
    from interviews.corrections import correct_transcript

    give_terms(codes)
    suggest_for = suggestion_runs.suggest_for

    def found_then_corrected(interview, *args):
        found = suggest_for(interview, *args)
        # The owner saves a correction after the run read the text, before it stores.
        elsewhere = type(interview).objects.get(pk=interview.pk)
        correct_transcript(elsewhere, "A new first line.\n" + elsewhere.text, alice, 1)
        return found

    monkeypatch.setattr(suggestion_runs, "suggest_for", found_then_corrected)
    run = run_terms(interview.study, bob, interview)
    run.refresh_from_db()
    assert (run.status, run.suggested) == ("done", 0)
    assert not Suggestion.objects.filter(status=SuggestionStatus.OPEN).exists()
    # The coder reads why this interview got nothing, on the run's page and in the panel.
    assert f"No suggestions for “{interview.title}”: corrected during the run" in run.error
    client.force_login(bob)
    page = client.get(f"{interview.get_absolute_url()}?suggestions=1").content.decode()
    assert "corrected during the run. Run Suggest again" in page

    monkeypatch.setattr(suggestion_runs, "suggest_for", suggest_for)
    run_terms(interview.study, bob, interview)
    interview.refresh_from_db()
    suggestions = Suggestion.objects.filter(status=SuggestionStatus.OPEN)
    assert suggestions
    for suggestion in suggestions:  # each on the words it names, in the new text
        passage = interview.text[suggestion.start : suggestion.end].lower()
        for term in suggestion.explanation.removeprefix("matched: ").split(", "):
            assert term in passage
