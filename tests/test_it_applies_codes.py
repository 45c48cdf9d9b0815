"""Applying a code to a passage: offsets in code points, checked and trimmed by the server."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from codebook.models import Code, Coding, CodingAction
from interviews.models import Interview, Study
from tests.conftest import change_of, passage_of

HTMX = {"HX-Request": "true"}


def add_url(interview):
    return reverse("coding-add", args=[interview.study.slug, interview.pk])


def post_coding(client, interview, code, start, end, **headers):
    return client.post(
        add_url(interview), {"code": code.pk, "start": start, "end": end}, headers=headers
    )


def event_of(response):
    return change_of(response)


def test_it_stores_code_point_offsets_after_an_emoji(client, bob, interview, codes):
    client.force_login(bob)
    start, end = passage_of(interview.text, "We asked citizens")
    assert "🙂" in interview.text[:start]

    response = post_coding(client, interview, codes["sensemaking"], start, end, **HTMX)

    coding = Coding.objects.get()
    assert (coding.start, coding.end, coding.quote) == (start, end, "We asked citizens")
    assert event_of(response)["upsert"][0]["id"] == coding.pk
    assert event_of(response)["error"] is False


def test_it_recomputes_the_quote_and_trims_white_space(client, bob, interview, codes):
    client.force_login(bob)
    start, end = passage_of(interview.text, " We asked ")
    post_coding(client, interview, codes["sensemaking"], start, end, **HTMX)
    coding = Coding.objects.get()
    assert coding.quote == "We asked"
    assert (coding.start, coding.end) == (start + 1, end - 1)


def test_it_rejects_a_passage_outside_the_transcript(client, bob, interview, codes):
    client.force_login(bob)
    length = len(interview.text)
    response = post_coding(client, interview, codes["sensemaking"], length - 3, length + 5, **HTMX)
    assert event_of(response)["error"] is True
    assert "outside this transcript" in response.content.decode()
    assert not Coding.objects.exists()


@pytest.mark.parametrize("start, end", [("5", "5"), ("9", "3"), ("-1", "4"), ("x", "4"), ("", "")])
def test_it_rejects_empty_or_malformed_offsets(client, bob, interview, codes, start, end):
    client.force_login(bob)
    response = post_coding(client, interview, codes["sensemaking"], start, end, **HTMX)
    assert event_of(response)["error"] is True
    assert not Coding.objects.exists()


def test_it_rejects_a_white_space_passage_with_a_clear_message(client, bob, interview, codes):
    client.force_login(bob)
    blank = interview.text.index("\n\n")
    response = post_coding(client, interview, codes["sensemaking"], blank, blank + 2, **HTMX)
    assert "empty or only white space" in response.content.decode()
    assert not Coding.objects.exists()


def test_it_refuses_a_passage_of_only_a_speaker_label(client, bob, interview, codes):
    # The page cannot select "[00:00:12] Manager A:", shows no such coding and could not
    # open one: the server refuses it as well.
    client.force_login(bob)
    start, end = passage_of(interview.text, "[00:00:12] Manager A:")
    response = post_coding(client, interview, codes["sensemaking"], start - 2, end + 1, **HTMX)
    assert event_of(response)["error"] is True
    assert "only a speaker’s name or a timestamp" in response.content.decode()
    assert not Coding.objects.exists()


def test_in_vivo_coding_of_a_label_adds_no_code(client, alice, interview, codes):
    client.force_login(alice)
    start, end = passage_of(interview.text, "[00:01:40] Interviewer:")
    response = client.post(
        reverse("coding-new-code", args=[interview.study.slug, interview.pk]),
        {"start": start, "end": end},
        headers=HTMX,
    )
    assert "only a speaker’s name or a timestamp" in response.content.decode()
    assert not Code.objects.filter(name__icontains="Interviewer").exists()


def test_it_codes_a_passage_that_begins_in_a_label(client, bob, interview, codes):
    # Some spoken text is enough: such a passage comes from outside the page (an import).
    client.force_login(bob)
    start, _ = passage_of(interview.text, "Manager A: Yes")
    _, end = passage_of(interview.text, "Yes – it was")
    post_coding(client, interview, codes["sensemaking"], start, end, **HTMX)
    assert Coding.objects.get().quote == "Manager A: Yes – it was"


def test_it_codes_anywhere_in_an_interview_without_turns(client, bob, interview, codes):
    interview.turns.all().delete()
    client.force_login(bob)
    start, end = passage_of(interview.text, "[00:00:12] Manager A:")
    post_coding(client, interview, codes["sensemaking"], start, end, **HTMX)
    assert Coding.objects.get().quote == "[00:00:12] Manager A:"


def test_it_treats_an_identical_coding_as_already_done(client, bob, interview, codes):
    client.force_login(bob)
    start, end = passage_of(interview.text, "We asked citizens")
    first = post_coding(client, interview, codes["sensemaking"], start, end, **HTMX)
    again = post_coding(client, interview, codes["sensemaking"], start, end, **HTMX)
    assert Coding.objects.count() == 1
    assert CodingAction.objects.count() == 1
    assert event_of(again)["error"] is False
    assert event_of(again)["upsert"][0]["id"] == event_of(first)["upsert"][0]["id"]
    assert "Already coded" in again.content.decode()


def test_it_refuses_a_grouping_code(client, bob, interview, codes):
    client.force_login(bob)
    start, end = passage_of(interview.text, "We asked citizens")
    response = post_coding(client, interview, codes["lenses"], start, end, **HTMX)
    assert "cannot be applied" in response.content.decode()
    assert not Coding.objects.exists()


def test_it_refuses_a_code_of_another_study(client, bob, interview, codes):
    other = Study.objects.create(title="Other", slug="other")
    foreign = Code.objects.create(study=other, name="Foreign")
    client.force_login(bob)
    start, end = passage_of(interview.text, "We asked citizens")
    response = post_coding(client, interview, foreign, start, end, **HTMX)
    assert "Choose a code of this study" in response.content.decode()
    assert not Coding.objects.exists()


@pytest.mark.parametrize("code", ["", "x", "-3", "0", str(2**70)])
def test_it_refuses_a_missing_code_before_looking_at_the_offsets(client, bob, interview, code):
    client.force_login(bob)
    response = client.post(
        add_url(interview), {"code": code, "start": "x", "end": 2**70}, headers=HTMX
    )
    assert event_of(response)["error"] is True
    assert "Choose a code of this study" in response.content.decode()
    assert not Coding.objects.exists()


def test_it_refuses_offsets_too_large_for_the_database(client, bob, interview, codes):
    client.force_login(bob)
    response = post_coding(client, interview, codes["sensemaking"], 2**70, 2**70 + 4, **HTMX)
    assert "outside this transcript" in response.content.decode()
    assert not Coding.objects.exists()


def test_it_finds_no_interview_with_an_id_too_large_for_the_database(client, bob, study, codes):
    client.force_login(bob)
    url = reverse("coding-add", args=[study.slug, 2**70])
    response = client.post(url, {"code": codes["inhibitor"].pk, "start": 0, "end": 4})
    assert response.status_code == 404


def test_it_finds_no_interview_of_another_study_under_this_url(client, bob, study, codes):
    other = Study.objects.create(title="Other", slug="other")
    elsewhere = Interview.objects.create(study=other, title="Elsewhere", text="Some words here.")
    client.force_login(bob)
    url = reverse("coding-add", args=[study.slug, elsewhere.pk])
    response = client.post(url, {"code": codes["inhibitor"].pk, "start": 0, "end": 4})
    assert response.status_code == 404


def test_a_plain_form_post_redirects_with_a_message(client, bob, interview, codes):
    client.force_login(bob)
    start, end = passage_of(interview.text, "We asked citizens")
    response = post_coding(client, interview, codes["sensemaking"], start, end)
    assert response.status_code == 302
    assert response.url == interview.get_absolute_url()
    page = client.get(response.url)
    assert "Coded with “Sensemaking”." in page.content.decode()


def test_it_needs_the_csrf_token(bob, interview, codes):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    start, end = passage_of(interview.text, "We asked citizens")
    response = post_coding(client, interview, codes["sensemaking"], start, end, **HTMX)
    assert response.status_code == 403
    assert not Coding.objects.exists()


def test_it_accepts_the_csrf_token_the_page_carries(bob, interview, codes):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    client.get(interview.get_absolute_url())
    token = client.cookies["csrftoken"].value
    start, end = passage_of(interview.text, "We asked citizens")
    response = client.post(
        add_url(interview),
        {"code": codes["sensemaking"].pk, "start": start, "end": end},
        headers={"X-CSRFToken": token, **HTMX},
    )
    assert response.status_code == 200
    assert Coding.objects.count() == 1


def test_coding_needs_a_bounded_number_of_queries(
    client, bob, interview, codes, make_coding, django_assert_max_num_queries
):
    text = interview.text
    Coding.objects.bulk_create(
        Coding(
            interview=interview,
            code=codes["inhibitor"],
            coder=bob,
            start=start,
            end=start + 4,
            quote=text[start : start + 4],
        )
        for start in range(0, len(text) - 4)
        if text[start : start + 4].strip()
    )
    client.force_login(bob)
    start, end = passage_of(text, "We asked citizens")
    # Session, user, one query for the role, interview, code and passage, one for the
    # turn that holds it (spoken text, not a label), then the writes.
    with django_assert_max_num_queries(10):
        response = post_coding(client, interview, codes["sensemaking"], start, end, **HTMX)
    assert event_of(response)["error"] is False


def test_it_codes_up_to_the_last_character_and_not_one_further(client, bob, interview, codes):
    client.force_login(bob)
    length = len(interview.text)
    post_coding(client, interview, codes["sensemaking"], length - 14, length, **HTMX)
    assert Coding.objects.get().quote == "opening doors."
    with pytest.raises(IntegrityError), transaction.atomic():
        Coding.objects.update(start=length - 13, end=length + 1)  # only the end is wrong


def test_the_single_read_gives_the_same_study_and_code_as_the_orm(rf, bob, interview, codes):
    from codebook.views.coding import _coding_context

    code = codes["sensemaking"]
    request = rf.post("/")
    request.user = bob
    found, found_code, passage = _coding_context(
        request, interview.study.slug, interview.pk, str(code.pk), 3, 9
    )

    def fields(obj):
        return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}

    assert fields(found.study) == fields(Study.objects.get(pk=interview.study_id))
    assert fields(found_code) == fields(Code.objects.get(pk=code.pk))
    assert (found.pk, passage) == (interview.pk, interview.text[3:9])


def test_it_refuses_a_closing_credit_as_said_by_no_one(client, bob, otter_interview, codes):
    client.force_login(bob)
    start, end = passage_of(otter_interview.text, "Transcribed by https://otter.ai")
    response = post_coding(client, otter_interview, codes["sensemaking"], start, end, **HTMX)
    page = response.content.decode()
    assert event_of(response)["error"] is True
    assert "outside what anyone said" in page
    assert "speaker’s name" not in page
    assert not Coding.objects.exists()


def test_it_still_calls_a_header_line_a_speakers_name(client, bob, otter_interview, codes):
    client.force_login(bob)
    start, end = passage_of(otter_interview.text, "Manager A  0:09")
    response = post_coding(client, otter_interview, codes["sensemaking"], start, end, **HTMX)
    page = response.content.decode()
    assert "only a speaker’s name or a timestamp" in page
    assert "outside what anyone said" not in page
    assert not Coding.objects.exists()


def test_in_vivo_coding_of_a_closing_credit_says_no_one_said_it(
    client, alice, otter_interview, codes
):
    client.force_login(alice)
    start, end = passage_of(otter_interview.text, "otter.ai")
    response = client.post(
        reverse("coding-new-code", args=[otter_interview.study.slug, otter_interview.pk]),
        {"start": start, "end": end},
        headers=HTMX,
    )
    assert "outside what anyone said" in response.content.decode()
    assert not Code.objects.filter(name__icontains="otter").exists()
