"""A coder accepts, adjusts, rejects and bulk-accepts their suggestions from the workbench."""

import json

import pytest
from django.test import Client

from codebook import codings
from codebook.models import Coding, CodingAction, Origin, Suggestion, SuggestionStatus
from interviews.corrections import correct_transcript
from tests.conftest import change_of, passage_of
from tests.suggest_data import give_terms, run_terms


@pytest.fixture
def offered(interview, codes, bob):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    return {s.code.name: s for s in Suggestion.objects.filter(coder=bob).select_related("code")}


def _url(interview, suggestion, action):
    return (
        f"/s/{interview.study.slug}/interviews/{interview.pk}/suggestions/{suggestion.pk}/{action}/"
    )


def test_accepting_makes_a_coding_by_the_coder_linked_back(client, interview, bob, offered):
    suggestion = offered["Inhibitor"]
    client.force_login(bob)
    response = client.post(_url(interview, suggestion, "accept"))
    assert response.status_code == 302
    coding = Coding.objects.get()
    assert (coding.coder, coding.code_id, coding.origin) == (bob, suggestion.code_id, "suggestion")
    assert (coding.start, coding.end) == (suggestion.start, suggestion.end)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.coding == coding
    assert suggestion.decided is not None


def test_an_accepted_suggestion_can_be_undone_like_any_coding(client, interview, bob, offered):
    client.force_login(bob)
    client.post(_url(interview, offered["Inhibitor"], "accept"))
    assert CodingAction.objects.filter(coder=bob).count() == 1


def test_undoing_the_accepted_coding_opens_the_suggestion_again(client, interview, bob, offered):
    suggestion = offered["Inhibitor"]
    client.force_login(bob)
    client.post(_url(interview, suggestion, "accept"))
    assert codings.undo(interview, bob) is not None
    assert not Coding.objects.exists()
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided, suggestion.coding) == ("open", None, None)
    # Open again means it can be decided again, here by rejecting it.
    assert client.post(_url(interview, suggestion, "reject")).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED


def test_redo_accepts_the_reopened_suggestion_again(client, interview, bob, offered):
    suggestion = offered["Inhibitor"]
    client.force_login(bob)
    client.post(_url(interview, suggestion, "accept"))
    codings.undo(interview, bob)
    codings.redo(interview, bob)
    coding = Coding.objects.get()
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.coding) == (SuggestionStatus.ACCEPTED, coding)
    assert suggestion.decided is not None


def test_deleting_the_accepted_coding_opens_the_suggestion_and_undo_accepts_it(
    client, interview, bob, offered
):
    suggestion = offered["Inhibitor"]
    client.force_login(bob)
    client.post(_url(interview, suggestion, "accept"))
    codings.delete_coding(Coding.objects.get(), interview, bob)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN and suggestion.coding is None
    codings.undo(interview, bob)  # brings the coding back
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.coding) == (
        SuggestionStatus.ACCEPTED,
        Coding.objects.get(),
    )


def test_deleting_an_accepted_coding_after_a_correction_leaves_the_suggestion_out_of_date(
    client, interview, bob, offered
):
    suggestion = offered["Inhibitor"]
    client.force_login(bob)
    client.post(_url(interview, suggestion, "accept"))
    correct_transcript(interview, "A new first line.\n" + interview.text, bob, interview.revision)
    codings.delete_coding(Coding.objects.get(), interview, bob)
    suggestion.refresh_from_db()
    # Its offsets point into the old text: it cannot simply be offered again.
    assert (suggestion.status, suggestion.decided, suggestion.coding) == ("outdated", None, None)
    codings.undo(interview, bob)  # the coding comes back, and with it the decision
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.coding) == ("accepted", Coding.objects.get())


def test_a_reopened_suggestion_decided_otherwise_stays_so_after_redo(
    client, interview, bob, offered
):
    suggestion = offered["Inhibitor"]
    client.force_login(bob)
    client.post(_url(interview, suggestion, "accept"))
    codings.undo(interview, bob)
    client.post(_url(interview, suggestion, "reject"))
    codings.redo(interview, bob)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED and suggestion.coding is None


def test_accepting_by_htmx_tells_the_workbench_and_the_layer(client, interview, bob, offered):
    client.force_login(bob)
    response = client.post(
        _url(interview, offered["Inhibitor"], "accept"), headers={"HX-Request": "true"}
    )
    change = change_of(response)
    assert change["upsert"][0]["code"] == offered["Inhibitor"].code_id
    assert change["history"] == "push"
    assert "suggestions-changed" in json.loads(response["HX-Trigger"])
    assert "Accepted" in response.content.decode()


def test_adjusting_the_boundaries_then_accepting_codes_the_adjusted_passage(
    client, interview, bob, offered
):
    start, end = passage_of(interview.text, "The budget was tight")
    client.force_login(bob)
    client.post(_url(interview, offered["Inhibitor"], "accept"), {"start": start, "end": end})
    coding = Coding.objects.get()
    assert coding.quote == "The budget was tight"
    assert coding.origin == Origin.SUGGESTION


def test_an_adjusted_passage_outside_the_transcript_is_refused_and_keeps_the_suggestion(
    client, interview, bob, offered
):
    client.force_login(bob)
    response = client.post(
        _url(interview, offered["Inhibitor"], "accept"),
        {"start": 5, "end": 10**6},
        follow=True,
    )
    assert "outside" in response.content.decode()
    assert not Coding.objects.exists()
    offered["Inhibitor"].refresh_from_db()
    assert offered["Inhibitor"].status == SuggestionStatus.OPEN


def test_rejecting_is_remembered_and_not_suggested_again(client, interview, bob, offered):
    suggestion = offered["Inhibitor"]
    client.force_login(bob)
    client.post(_url(interview, suggestion, "reject"))
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED
    run_terms(interview.study, bob, interview)
    again = Suggestion.objects.filter(
        coder=bob, code=suggestion.code, start=suggestion.start, end=suggestion.end
    )
    assert list(again.values_list("status", flat=True)) == ["rejected"]
    assert not Coding.objects.exists()


def test_another_coder_still_gets_what_one_coder_rejected(client, interview, bob, carol, offered):
    client.force_login(bob)
    client.post(_url(interview, offered["Inhibitor"], "reject"))
    run_terms(interview.study, carol, interview)
    assert Suggestion.objects.filter(
        coder=carol, code=offered["Inhibitor"].code, status="open"
    ).exists()


def test_a_decided_suggestion_cannot_be_decided_again(client, interview, bob, offered):
    client.force_login(bob)
    client.post(_url(interview, offered["Inhibitor"], "reject"))
    response = client.post(_url(interview, offered["Inhibitor"], "accept"), follow=True)
    assert "already rejected" in response.content.decode()
    assert not Coding.objects.exists()


def test_bulk_accept_takes_one_code_above_the_score(client, interview, codes, bob, offered):
    Suggestion.objects.filter(coder=bob).update(score=0.4)
    Suggestion.objects.filter(pk=offered["Identity work"].pk).update(score=0.9)
    client.force_login(bob)
    url = f"/s/{interview.study.slug}/interviews/{interview.pk}/suggestions/accept-all/"
    client.post(url, {"code": codes["identity"].pk, "min": "80"})
    assert list(Coding.objects.values_list("code__name", flat=True)) == ["Identity work"]
    client.post(url, {"code": codes["inhibitor"].pk, "min": "80"})
    assert Coding.objects.count() == 1
    client.post(url, {"code": codes["inhibitor"].pk, "min": "0.3"})
    assert Coding.objects.filter(code=codes["inhibitor"], origin="suggestion").count() == 1


def test_the_workbench_lists_only_my_suggestions_with_their_reasons(
    client, interview, codes, bob, carol, offered
):
    client.force_login(carol)
    page = client.get(f"/s/{interview.study.slug}/interviews/{interview.pk}/?suggestions=1")
    assert "matched: budget, target" not in page.content.decode()
    client.force_login(bob)
    page = client.get(f"/s/{interview.study.slug}/interviews/{interview.pk}/?suggestions=1")
    html = page.content.decode()
    assert "matched: budget, target" in html
    assert 'id="suggestions-data"' in html


def test_the_suggestion_list_filters_by_code_and_score(client, interview, codes, bob, offered):
    client.force_login(bob)
    url = f"/s/{interview.study.slug}/interviews/{interview.pk}/"
    response = client.get(
        url,
        {"suggestions": 1, "part": "suggestions", "scode": codes["identity"].pk, "min": "0"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="suggestions"')
    assert "Accept all 1 of “Identity work”" in html
    assert "matched: budget" not in html


def test_the_suggestion_list_costs_a_fixed_number_of_queries(
    client, interview, codes, bob, offered, django_assert_max_num_queries
):
    template = offered["Inhibitor"]
    Suggestion.objects.bulk_create(
        Suggestion(
            interview=interview,
            code=code,
            coder=bob,
            start=template.start,
            end=template.end - n % 5,
            score=0.5,
            suggester="terms",
            model_version="test",
        )
        for n in range(30)
        for code in [codes["sensemaking"], codes["identity"]]
    )
    client.force_login(bob)
    url = f"/s/{interview.study.slug}/interviews/{interview.pk}/"
    with django_assert_max_num_queries(9):
        client.get(url, {"suggestions": 1, "part": "suggestions"}, headers={"HX-Request": "true"})


@pytest.mark.parametrize(
    "user, status", [("carol", 404), ("vic", 403), ("charlie", 404), (None, 302)]
)
def test_only_the_coder_it_was_made_for_decides(client, request, interview, offered, user, status):
    if user:
        client.force_login(request.getfixturevalue(user))
    response = client.post(_url(interview, offered["Inhibitor"], "accept"))
    assert response.status_code == status
    if status == 302:
        assert "/login" in response["Location"] or "login" in response["Location"]
    assert not Coding.objects.exists()


def test_deciding_checks_the_csrf_token(interview, bob, offered):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.post(_url(interview, offered["Inhibitor"], "reject")).status_code == 403


def test_accepted_suggestions_are_marked_among_my_codings(client, interview, bob, offered):
    client.force_login(bob)
    client.post(_url(interview, offered["Inhibitor"], "accept"))
    page = client.get(f"/s/{interview.study.slug}/interviews/{interview.pk}/?list=1")
    html = page.content.decode()
    assert html.count("accepted suggestion") == 1
    coding = Coding.objects.get()
    panel = client.get(f"/s/{interview.study.slug}/interviews/{interview.pk}/?coding={coding.pk}")
    assert "accepted suggestion" in panel.content.decode()


def test_each_decision_is_a_plain_form_reachable_without_script(client, interview, bob, offered):
    client.force_login(bob)
    html = client.get(
        f"/s/{interview.study.slug}/interviews/{interview.pk}/?suggestions=1"
    ).content.decode()
    suggestion = offered["Inhibitor"]
    assert f'action="{_url(interview, suggestion, "accept")}"' in html
    assert f'action="{_url(interview, suggestion, "reject")}"' in html
    assert 'tabindex="-1">Accept' not in html


@pytest.fixture
def three_inhibitors(interview, offered):
    """Three open suggestions of one code, on three passages."""
    suggestion = offered["Inhibitor"]
    for words in ("frontline staff", "I had to learn to let go."):
        suggestion.pk = None
        suggestion.start, suggestion.end = passage_of(interview.text, words)
        suggestion.save()
    return Suggestion.objects.filter(code=suggestion.code, coder=suggestion.coder)


def test_accepting_all_is_one_undo_step(client, interview, codes, bob, three_inhibitors):
    client.force_login(bob)
    slug, pk = interview.study.slug, interview.pk
    url = f"/s/{slug}/interviews/{pk}/suggestions/accept-all/"
    htmx = {"HX-Request": "true"}
    accepted = change_of(
        client.post(url, {"code": codes["inhibitor"].pk, "min": "0"}, headers=htmx)
    )
    assert (len(accepted["upsert"]), accepted["history"]) == (3, "push")
    assert codings.history_depth(interview, bob) == {"undo": 1, "redo": 0}

    undone = change_of(client.post(f"/s/{slug}/interviews/{pk}/undo/", headers=htmx))
    assert not Coding.objects.exists()
    assert sorted(undone["remove"]) == sorted(c["id"] for c in accepted["upsert"])
    assert (undone["history"], undone["message"]) == ("undo", "Undone: 3 codings.")
    assert set(three_inhibitors.values_list("status", flat=True)) == {SuggestionStatus.OPEN}
    assert codings.history_depth(interview, bob) == {"undo": 0, "redo": 1}

    redone = change_of(client.post(f"/s/{slug}/interviews/{pk}/redo/", headers=htmx))
    assert len(redone["upsert"]) == 3
    assert Coding.objects.filter(origin="suggestion").count() == 3
    assert set(three_inhibitors.values_list("status", flat=True)) == {SuggestionStatus.ACCEPTED}
    assert codings.history_depth(interview, bob) == {"undo": 1, "redo": 0}


def test_a_step_before_accepting_all_is_undone_on_its_own(
    client, interview, codes, bob, three_inhibitors
):
    start, end = passage_of(interview.text, "We asked citizens")
    codings.apply_code(interview, bob, codes["sensemaking"], start, end)
    client.force_login(bob)
    url = f"/s/{interview.study.slug}/interviews/{interview.pk}/suggestions/accept-all/"
    client.post(url, {"code": codes["inhibitor"].pk, "min": "0"})
    codings.undo(interview, bob)
    assert list(Coding.objects.values_list("quote", flat=True)) == ["We asked citizens"]
    codings.undo(interview, bob)
    assert not Coding.objects.exists()


def test_accept_all_takes_only_the_suggestions_the_list_showed(
    client, interview, codes, bob, three_inhibitors, monkeypatch
):
    # The list stops at a limit: "Accept all" must not take suggestions nobody saw.
    monkeypatch.setattr("codebook.suggestion_panel.LIST_LIMIT", 2)
    client.force_login(bob)
    base = interview.get_absolute_url()
    page = client.get(f"{base}?suggestions=1&scode={codes['inhibitor'].pk}").content.decode()
    assert "3 open suggestions (the first 2 are listed)" in page
    listed = [s.pk for s in three_inhibitors.order_by("start", "-score", "pk")[:2]]
    assert page.count('name="listed"') == 2
    url = f"/s/{interview.study.slug}/interviews/{interview.pk}/suggestions/accept-all/"
    client.post(url, {"code": codes["inhibitor"].pk, "min": "0", "listed": listed})
    accepted = set(Suggestion.objects.filter(status="accepted").values_list("pk", flat=True))
    assert accepted == set(listed)


def test_an_out_of_date_suggestion_says_what_to_do(client, interview, alice, bob, offered):
    correct_transcript(interview, "A new first line.\n" + interview.text, alice, interview.revision)
    client.force_login(bob)
    response = client.post(_url(interview, offered["Inhibitor"], "accept"), follow=True)
    assert "Reload the page, and run Suggest again" in response.content.decode()
    assert not Coding.objects.exists()


def test_accept_all_of_ids_past_the_databases_integers_accepts_nothing(
    client, interview, codes, bob, offered
):
    # SQLite cannot compare with a number past 2**63: the list of ids was a 500.
    client.force_login(bob)
    url = f"/s/{interview.study.slug}/interviews/{interview.pk}/suggestions/accept-all/"
    response = client.post(url, {"code": codes["inhibitor"].pk, "listed": str(10**30)})
    assert response.status_code == 302
    assert not Coding.objects.exists()
