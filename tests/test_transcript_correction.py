"""The correction page, its refusals, and the versions it leaves behind."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from codebook.models import AnchorStatus
from interviews.models import InterviewRevision
from tests.conftest import TRANSCRIPT

BUDGET = "The budget was tight, and the targets did not help."
DESIGN = "We asked citizens to design the service with our frontline staff."


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def correct_url(interview):
    return reverse("correct-transcript", args=[interview.study.slug, interview.pk])


def test_the_page_offers_the_whole_text_and_its_revision(interview, alice):
    response = signed_in(alice).get(correct_url(interview))
    assert response.context["form"]["text"].value() == TRANSCRIPT
    assert 'name="revision" value="1"' in response.content.decode()


def test_a_typo_fix_and_a_deleted_sentence_keep_one_coding_and_lose_the_other(
    interview, alice, bob, codes, make_coding
):
    design = make_coding(interview, codes["sensemaking"], bob, DESIGN)
    budget = make_coding(interview, codes["inhibitor"], bob, BUDGET)
    corrected = TRANSCRIPT.replace("café", "cafe").replace(" " + BUDGET, "")
    response = signed_in(alice).post(
        correct_url(interview),
        {"text": corrected.replace("\n", "\r\n"), "revision": 1},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Transcript corrected. Codings: 1 on their passage, 0 partly changed, 1 lost. "
        "Review the changed and lost ones on the review page."
    ]
    interview.refresh_from_db()
    design.refresh_from_db()
    assert interview.text == corrected
    assert interview.text[design.start : design.end] == DESIGN
    review = signed_in(bob).get(reverse("review-anchors", args=[interview.study.slug]))
    content = review.content.decode()
    assert "Passage deleted" in content and BUDGET in content
    assert [item["coding"].pk for item in review.context["items"]] == [budget.pk]


def test_a_stale_save_is_refused_and_keeps_the_users_text(interview, alice, sam):
    signed_in(alice).post(correct_url(interview), {"text": TRANSCRIPT + "\nAlice.", "revision": 1})
    response = signed_in(sam).post(
        correct_url(interview), {"text": TRANSCRIPT + "\nSam's edit.", "revision": 1}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "while you were editing it" in content
    assert "Sam&#x27;s edit." in content
    interview.refresh_from_db()
    assert interview.text.endswith("Alice.")
    assert InterviewRevision.objects.count() == 1


def test_an_empty_text_is_refused(interview, alice):
    response = signed_in(alice).post(correct_url(interview), {"text": "  \n ", "revision": 1})
    assert response.status_code == 200
    interview.refresh_from_db()
    assert interview.text == TRANSCRIPT


def test_an_unchanged_text_saves_no_version(interview, alice):
    response = signed_in(alice).post(correct_url(interview), {"text": TRANSCRIPT, "revision": 1})
    assert "unchanged" in response.content.decode()
    assert not InterviewRevision.objects.exists()


def test_versions_are_listed_and_show_a_diff(interview, alice, bob):
    signed_in(alice).post(
        correct_url(interview), {"text": TRANSCRIPT.replace("tight", "<tight>"), "revision": 1}
    )
    slug = interview.study.slug
    listing = signed_in(bob).get(reverse("interview-revisions", args=[slug, interview.pk]))
    assert "Version 2" in listing.content.decode()
    diff = signed_in(bob).get(reverse("interview-revision", args=[slug, interview.pk, 2]))
    content = diff.content.decode()
    assert "alice" in content
    assert "<ins>+[00:00:12] Manager A: " in content and "&lt;tight&gt;" in content
    assert "<del>-[00:00:12]" in content


def test_the_workbench_links_to_the_correction_for_importers_only(interview, alice, bob):
    url = interview.get_absolute_url()
    assert correct_url(interview) in signed_in(alice).get(url).content.decode()
    assert correct_url(interview) not in signed_in(bob).get(url).content.decode()


def test_a_changed_coding_is_flagged(interview, alice, bob, codes, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, BUDGET)
    signed_in(alice).post(
        correct_url(interview),
        {"text": TRANSCRIPT.replace("was tight", "was very tight"), "revision": 1},
    )
    coding.refresh_from_db()
    assert coding.anchor_status == AnchorStatus.CHANGED


def _as_a_browser_submits(page: str) -> str:
    """Read the editor's text as a browser does, and send it back as a browser would.

    The HTML parser drops one newline straight after ``<textarea>``; a form sends its
    line ends as CR LF.
    """
    found = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.DOTALL)
    assert found is not None
    return html.unescape(found.group(1)).removeprefix("\n").replace("\n", "\r\n")


@pytest.mark.parametrize("first_line_end", ["\n", "\r\n"])
def test_saving_a_text_that_starts_with_a_line_end_unchanged_stores_nothing(
    interview, alice, first_line_end
):
    interview.text = first_line_end + TRANSCRIPT
    interview.save()
    client = signed_in(alice)
    shown = client.get(correct_url(interview)).content.decode()

    response = client.post(
        correct_url(interview), {"text": _as_a_browser_submits(shown), "revision": 1}
    )

    assert "The text is unchanged" in response.content.decode()
    interview.refresh_from_db()
    assert (interview.text, interview.revision) == ("\n" + TRANSCRIPT, 1)
    assert not InterviewRevision.objects.exists()
