"""The review page for codings a correction changed or lost: keep, re-attach, delete."""

import pytest
from django.test import Client
from django.urls import reverse

from codebook.models import AnchorStatus, Coding
from interviews.corrections import correct_transcript
from interviews.models import Study
from tests.conftest import TRANSCRIPT

BUDGET = "The budget was tight, and the targets did not help."


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lost(interview, alice, bob, codes, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, BUDGET)
    correct_transcript(interview, TRANSCRIPT.replace(" " + BUDGET, ""), alice, interview.revision)
    coding.refresh_from_db()
    return coding


@pytest.fixture
def changed(interview, alice, carol, codes, make_coding):
    coding = make_coding(interview, codes["sensemaking"], carol, "I had to learn to let go.")
    correct_transcript(
        interview,
        interview.text.replace("learn to let", "learn, slowly, to let"),
        alice,
        interview.revision,
    )
    coding.refresh_from_db()
    return coding


def settle_url(coding):
    return reverse("review-anchor", args=[coding.interview.study.slug, coding.pk])


def test_a_coder_sees_only_their_own_codings_to_review(study, lost, changed, bob, sam):
    url = reverse("review-anchors", args=[study.slug])
    assert [i["coding"] for i in signed_in(bob).get(url).context["items"]] == [lost]
    assert {i["coding"] for i in signed_in(sam).get(url).context["items"]} == {lost, changed}


def test_the_review_page_has_a_bounded_number_of_queries(
    study, lost, changed, sam, django_assert_max_num_queries
):
    client = signed_in(sam)
    with django_assert_max_num_queries(8):
        client.get(reverse("review-anchors", args=[study.slug]))


def test_the_review_page_queries_do_not_grow_with_the_codings_listed(
    study, interview, codes, bob, sam, django_assert_max_num_queries
):
    # Each listed coding links to its interview, whose address names the study: that
    # must not be looked up once per coding.
    Coding.objects.bulk_create(
        Coding(interview=interview, code=codes["inhibitor"], coder=bob, start=start,
               end=start + 1, quote=interview.text[start], anchor_status=AnchorStatus.CHANGED)
        for start in range(40, 70)
    )  # fmt: skip
    client = signed_in(sam)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("review-anchors", args=[study.slug]))
    assert len(response.context["items"]) == 30


def test_it_reattaches_a_lost_coding_by_its_words(lost, bob, interview):
    response = signed_in(bob).post(
        settle_url(lost), {"action": "reattach", "passage": "My job became opening doors."}
    )
    assert response.status_code == 302
    lost.refresh_from_db()
    assert lost.anchor_status == AnchorStatus.OK
    assert lost.quote == "My job became opening doors."
    assert lost.lost_quote == ""


def test_it_reattaches_by_offsets_through_htmx(lost, bob):
    text = lost.interview.text
    start = text.index("café")
    response = signed_in(bob).post(
        settle_url(lost),
        {"action": "reattach", "passage": "", "start": start, "end": start + 4},
        HTTP_HX_REQUEST="true",
    )
    assert "Coding re-attached to “café”." in response.content.decode()
    lost.refresh_from_db()
    assert (lost.quote, lost.anchor_status) == ("café", AnchorStatus.OK)


def test_words_found_twice_are_refused_with_a_message(lost, bob):
    response = signed_in(bob).post(
        settle_url(lost), {"action": "reattach", "passage": "Interviewer"}, HTTP_HX_REQUEST="true"
    )
    assert "occur 2 times" in response.content.decode()
    lost.refresh_from_db()
    assert lost.anchor_status == AnchorStatus.LOST


def test_words_not_in_the_transcript_are_refused(lost, bob):
    signed_in(bob).post(settle_url(lost), {"action": "reattach", "passage": BUDGET})
    lost.refresh_from_db()
    assert lost.anchor_status == AnchorStatus.LOST


def test_a_supervisor_accepts_a_changed_coding(changed, sam):
    signed_in(sam).post(settle_url(changed), {"action": "accept"})
    changed.refresh_from_db()
    assert changed.anchor_status == AnchorStatus.OK
    assert changed.quote == "I had to learn, slowly, to let go."


def test_it_deletes_a_lost_coding(lost, bob):
    signed_in(bob).post(settle_url(lost), {"action": "delete"})
    assert not Coding.objects.filter(pk=lost.pk).exists()


def test_another_coder_cannot_settle_a_coding(lost, carol):
    Study.objects.filter(pk=lost.interview.study_id).update(blind_coding=False)
    response = signed_in(carol).post(settle_url(lost), {"action": "delete"})
    assert response.status_code == 403
    assert Coding.objects.filter(pk=lost.pk).exists()


def test_a_blind_coder_does_not_find_another_coders_coding(lost, carol):
    """A 403 would tell carol that bob coded a passage a correction changed."""
    response = signed_in(carol).post(settle_url(lost), {"action": "delete"})
    assert response.status_code == 404
    assert Coding.objects.filter(pk=lost.pk).exists()


def test_a_viewer_cannot_settle_a_coding(lost, vic):
    assert signed_in(vic).post(settle_url(lost), {"action": "delete"}).status_code == 403


def test_a_stranger_gets_404(lost, charlie):
    assert signed_in(charlie).post(settle_url(lost), {"action": "delete"}).status_code == 404


def test_reattaching_onto_an_identical_coding_is_refused(lost, bob, codes, interview):
    text = interview.text
    start = text.index("My job")
    Coding.objects.create(
        interview=interview,
        code=codes["inhibitor"],
        coder=bob,
        start=start,
        end=start + 6,
        quote="My job",
    )
    signed_in(bob).post(settle_url(lost), {"action": "reattach", "passage": "My job"})
    lost.refresh_from_db()
    assert lost.anchor_status == AnchorStatus.LOST


def test_it_reattaches_a_browser_selection_given_in_utf16_units(lost, bob):
    text = lost.interview.text
    words = "We asked citizens"
    start = text.index(words)
    start_utf16 = len(text[:start].encode("utf-16-le")) // 2
    assert start_utf16 == start + 1  # the emoji before it counts twice in UTF-16
    signed_in(bob).post(
        settle_url(lost),
        {"action": "reattach", "start_utf16": start_utf16, "end_utf16": start_utf16 + len(words)},
    )
    lost.refresh_from_db()
    assert (lost.quote, lost.anchor_status) == (words, AnchorStatus.OK)


def test_the_selection_page_shows_the_escaped_transcript_to_the_coder_only(lost, bob, carol):
    url = reverse("review-anchor-choose", args=[lost.interview.study.slug, lost.pk])
    response = signed_in(bob).get(url)
    assert response.status_code == 200
    assert "“rôle”" in response.content.decode()
    assert signed_in(carol).get(url).status_code == 404  # blind coding hides bob's coding
