"""Positions from a page opened before a transcript correction are refused, not stored elsewhere.

The owner corrects the transcript (a sentence inserted at the top moves every
later word) while a coder's or supervisor's page still shows the old text. Every
request that sends positions also sends the revision the page showed; the old one
is refused with a message and nothing changes. Words-based requests, and pages
without scripts that send no revision, are not affected.
"""

import json

import pytest
from django.urls import reverse

from codebook import codings
from codebook.models import Code, Coding, Settlement, Suggestion
from codebook.page_revision import STALE_TEXT
from interviews.corrections import correct_transcript
from tests.conftest import BOB_SENSEMAKING, change_of, passage_of
from tests.suggest_data import give_terms, run_terms
from tests.test_settle_disagreements import disagreement_url

INSERTED = "A new first line, added after the page was opened.\n"
WORDS = "frontline staff"


def _correct(interview, owner) -> int:
    """Correct the transcript as its owner would; return the revision the page had shown."""
    shown = interview.revision
    correct_transcript(interview, INSERTED + interview.text, owner, interview.revision)
    return shown


def _workbench_post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data, headers={"HX-Request": "true"})


@pytest.mark.parametrize("endpoint", ["coding-add", "coding-new-code"])
def test_a_passage_chosen_on_the_old_text_is_refused(
    client, alice, bob, interview, codes, endpoint
):
    interview.study.open_coding = True  # coders may add codes as they go
    interview.study.save()
    start, end = passage_of(interview.text, WORDS)
    shown = _correct(interview, alice)
    codes_before = Code.objects.count()
    url = reverse(endpoint, args=[interview.study.slug, interview.pk])
    data = {"code": codes["inhibitor"].pk, "start": start, "end": end, "revision": shown}
    response = _workbench_post(client, bob, url, data)
    assert response.status_code == 200
    assert change_of(response)["error"] is True
    assert "reload the page" in response.content.decode()
    assert not Coding.objects.filter(coder=bob).exists()
    assert Code.objects.count() == codes_before  # the new code went with the refusal

    # Chosen again on the page as it is now, the same words are coded.
    start, end = passage_of(interview.text, WORDS)
    data.update(start=start, end=end, revision=interview.revision)
    response = _workbench_post(client, bob, url, data)
    assert change_of(response)["error"] is False
    assert Coding.objects.get(coder=bob).quote == WORDS


def test_a_page_without_scripts_sends_no_revision_and_is_checked_against_the_text_only(
    client, alice, bob, interview, codes
):
    _correct(interview, alice)
    start, end = passage_of(interview.text, WORDS)
    url = reverse("coding-add", args=[interview.study.slug, interview.pk])
    _workbench_post(client, bob, url, {"code": codes["inhibitor"].pk, "start": start, "end": end})
    assert Coding.objects.get(coder=bob).quote == WORDS


def test_an_unreadable_revision_is_refused(client, bob, interview, codes):
    start, end = passage_of(interview.text, WORDS)
    url = reverse("coding-add", args=[interview.study.slug, interview.pk])
    data = {"code": codes["inhibitor"].pk, "start": start, "end": end, "revision": "2b"}
    response = _workbench_post(client, bob, url, data)
    assert "unreadable transcript revision" in response.content.decode()
    assert not Coding.objects.exists()


def _suggestion_url(interview, suggestion, action):
    slug, pk = interview.study.slug, interview.pk
    return f"/s/{slug}/interviews/{pk}/suggestions/{suggestion.pk}/{action}/"


def test_a_suggestion_adjusted_on_the_old_text_is_not_accepted(
    client, alice, bob, interview, codes
):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    suggestion = Suggestion.objects.filter(coder=bob).first()
    shown = interview.revision
    correct_transcript(interview, INSERTED + interview.text, alice, interview.revision)
    # The correction marked it out of date; open again, it stands for a correction saved
    # between the check that it is open and the write, which only the revision catches.
    Suggestion.objects.filter(pk=suggestion.pk).update(status="open")
    url = _suggestion_url(interview, suggestion, "accept")
    data = {"start": suggestion.start, "end": suggestion.end, "revision": shown}
    response = _workbench_post(client, bob, url, data)
    assert STALE_TEXT.split(",")[0] in response.content.decode()
    assert not Coding.objects.exists()
    suggestion.refresh_from_db()
    assert suggestion.status == "open"


def test_accepting_all_on_the_old_text_accepts_none(client, alice, bob, interview, codes):
    give_terms(codes)
    run_terms(interview.study, bob, interview)
    suggestion = Suggestion.objects.filter(coder=bob).first()
    shown = _correct(interview, alice)
    Suggestion.objects.filter(coder=bob).update(status="open")  # as in the test above
    url = reverse("suggestion-accept-all", args=[interview.study.slug, interview.pk])
    data = {"code": suggestion.code_id, "min": "0", "revision": shown}
    response = _workbench_post(client, bob, url, data)
    assert json.loads(response["HX-Trigger"])["suggestions-changed"]["error"] is True
    assert "reload the page" in response.content.decode()
    assert not Coding.objects.exists()


@pytest.fixture
def lost(interview, alice, bob, codes, make_coding):
    """Bob's coding whose words the first correction deleted."""
    coding = make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    text = interview.text.replace("The budget was tight", "")
    correct_transcript(interview, text, alice, interview.revision)
    coding.refresh_from_db()
    return coding


def test_re_attaching_by_offsets_from_the_old_text_is_refused(client, alice, bob, lost):
    interview = lost.interview
    interview.refresh_from_db()
    start, end = passage_of(interview.text, WORDS)
    shown = _correct(interview, alice)
    client.force_login(bob)
    url = reverse("review-anchor", args=[interview.study.slug, lost.pk])
    data = {"action": "reattach", "start": start, "end": end, "revision": shown}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert "reload the page" in response.content.decode()
    lost.refresh_from_db()
    assert lost.anchor_status == "lost"

    # By its words, the passage is found in the text as it is now.
    data = {"action": "reattach", "passage": WORDS, "revision": shown}
    client.post(url, data, headers={"HX-Request": "true"})
    lost.refresh_from_db()
    assert (lost.anchor_status, lost.quote) == ("ok", WORDS)


def test_settling_on_the_old_text_is_refused(client, coded, codes, study, alice, bob, carol, sam):
    start, end = passage_of(coded.text, BOB_SENSEMAKING)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    client.force_login(sam)
    page = client.get(url).content.decode()
    assert f'name="revision" value="{coded.revision}"' in page
    shown = coded.revision
    correct_transcript(coded, coded.text + "\nA closing line.", alice, coded.revision)
    response = client.post(url, {"choice": f"coder:{carol.pk}", "revision": shown})
    assert response.status_code == 200
    assert "reload the page" in response.content.decode()
    assert not Settlement.objects.exists()


def test_the_pages_send_the_revision_they_show(client, bob, sam, interview, codes):
    client.force_login(bob)
    page = client.get(reverse("workbench", args=[interview.study.slug, interview.pk]))
    assert f'data-revision="{interview.revision}"' in page.content.decode()


def test_undo_and_redo_stop_at_a_correction(alice, bob, interview, codes):
    """Undo steps hold positions in the old text: after a correction they are gone."""
    start, end = passage_of(interview.text, WORDS)
    coding, _ = codings.apply_code(interview, bob, codes["inhibitor"], start, end)
    codings.change_coding(coding, interview, bob, memo="Who does the work.")
    codings.undo(interview, bob)  # the memo goes; redo would bring it back
    _correct(interview, alice)
    assert codings.history_depth(interview, bob) == {"undo": 0, "redo": 0}
    assert codings.redo(interview, bob) == []
    assert codings.undo(interview, bob) == []
    coding.refresh_from_db()
    assert (coding.quote, coding.memo) == (WORDS, "")  # moved with the text, and kept


def test_a_disagreement_listed_before_a_correction_leads_back_to_the_list(
    client, coded, codes, study, alice, bob, carol, sam
):
    start, end = passage_of(coded.text, BOB_SENSEMAKING)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    client.force_login(sam)
    list_url = reverse("agreement-disagreements", args=[study.slug])
    list_url += f"?coders={bob.pk}&coders={carol.pk}&unit=character"
    assert f"revision={coded.revision}" in client.get(list_url).content.decode()
    shown = coded.revision
    correct_transcript(coded, "A new first line.\n" + coded.text, alice, coded.revision)
    response = client.get(f"{url}&revision={shown}", follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("agreement-disagreements", args=[study.slug])
    )
    assert "was corrected after the list was made" in response.content.decode()
    # A link made on the new text opens the page.
    start, end = passage_of(coded.text, BOB_SENSEMAKING)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    assert client.get(f"{url}&revision={coded.revision}").status_code == 200


@pytest.fixture
def bobs_coding(interview, bob, codes, make_coding):
    """Bob's coding with one undo step (a memo) behind it."""
    coding = make_coding(interview, codes["inhibitor"], bob, WORDS)
    codings.change_coding(coding, interview, bob, memo="First thoughts.")
    return coding


def _coding_requests(interview, coding, codes):
    slug, pk = interview.study.slug, interview.pk
    change = reverse("coding-change", args=[slug, pk, coding.pk])
    return {
        "edge": (change, {"edge": "end", "unit": "word", "step": "1"}),
        "code": (change, {"code": codes["sensemaking"].pk}),
        "memo": (change, {"memo": "Typed on the old page."}),
        "delete": (reverse("coding-delete", args=[slug, pk, coding.pk]), {}),
        "undo": (reverse("coding-undo", args=[slug, pk]), {}),
        "redo": (reverse("coding-redo", args=[slug, pk]), {}),
    }


@pytest.mark.parametrize("change", ["edge", "code", "memo", "delete", "undo", "redo"])
def test_a_change_to_a_coding_from_the_old_page_is_refused(
    client, alice, bob, interview, codes, bobs_coding, change
):
    if change == "redo":
        codings.undo(interview, bob)
    shown = interview.revision
    # Not at the top, so the memo's step survives as a coding (undo steps are forgotten
    # on a correction, but the coding and its memo stay).
    text = interview.text + "\nA closing line, added after the page was opened."
    correct_transcript(interview, text, alice, interview.revision)
    codings.change_coding(
        Coding.objects.get(), interview, bob, memo="After the correction."
    )  # a step on the new text, which undo or redo would otherwise replay
    if change == "redo":
        codings.undo(interview, bob)
    before = list(Coding.objects.values_list("pk", "code", "start", "end", "memo"))
    depth = codings.history_depth(interview, bob)
    url, data = _coding_requests(interview, bobs_coding, codes)[change]

    response = _workbench_post(client, bob, url, {**data, "revision": shown})

    assert response.status_code == 200
    assert change_of(response)["error"] is True
    assert "reload the page" in response.content.decode()
    assert list(Coding.objects.values_list("pk", "code", "start", "end", "memo")) == before
    assert codings.history_depth(interview, bob) == depth

    # From the page as it is now, the same request goes through.
    response = _workbench_post(client, bob, url, {**data, "revision": interview.revision})
    assert change_of(response)["error"] is False
