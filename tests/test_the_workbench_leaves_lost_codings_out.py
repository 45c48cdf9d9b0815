"""A lost coding (its words deleted by a correction) is not on the workbench.

It has only a one-character placeholder span, so drawn it would mark a word it never
coded, and counted it would inflate the sidebar. It is settled on the review-anchors page.
"""

import pytest
from django.urls import reverse

from interviews.corrections import correct_transcript
from tests.test_it_shows_the_workbench import page_data

BUDGET = "The budget was tight, and the targets did not help."
LET_GO = "I had to learn to let go."


@pytest.fixture
def lost(interview, alice, bob, codes, make_coding):
    """Bob's inhibitor coding whose words the correction deleted; his other one stays."""
    make_coding(interview, codes["inhibitor"], bob, LET_GO)
    coding = make_coding(interview, codes["inhibitor"], bob, BUDGET)
    correct_transcript(interview, interview.text.replace(" " + BUDGET, ""), alice, 1)
    coding.refresh_from_db()
    assert coding.anchor_status == "lost"
    return coding


def test_the_page_draws_only_codings_on_their_passage(client, bob, lost):
    client.force_login(bob)
    response = client.get(lost.interview.get_absolute_url())
    assert [c["id"] for c in page_data(response)["codings"] if c["id"] == lost.pk] == []
    assert len(page_data(response)["codings"]) == 1


def test_the_sidebar_counts_leave_lost_codings_out(client, bob, codes, lost):
    client.force_login(bob)
    html = client.get(lost.interview.get_absolute_url()).content.decode()
    pk = codes["inhibitor"].pk
    assert f'data-count-here="{pk}">1<' in html
    assert f'data-count-study="{pk}">1<' in html


def test_the_list_leaves_lost_codings_out(client, bob, lost):
    client.force_login(bob)
    html = client.get(lost.interview.get_absolute_url(), {"list": "1"}).content.decode()
    assert "1 coding." in html
    assert f'data-coding-link="{lost.pk}"' not in html


def test_the_panel_does_not_open_a_lost_coding(client, bob, lost):
    client.force_login(bob)
    response = client.get(lost.interview.get_absolute_url(), {"coding": lost.pk})
    panel = response.content.decode().split('id="coding-panel"')[1].split("</section>")[0]
    assert "Open a coding from its stripe" in panel
    assert f"/codings/{lost.pk}/" not in panel


@pytest.mark.parametrize("change", [{"memo": "Still here?"}, {"edge": "end", "step": "1"}])
def test_a_lost_coding_is_changed_only_on_the_review_page(client, bob, lost, change):
    client.force_login(bob)
    args = [lost.interview.study.slug, lost.interview.pk, lost.pk]
    url = reverse("coding-change", args=args)
    response = client.post(url, change, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "review" in response.content.decode()
    lost.refresh_from_db()
    assert (lost.memo, lost.anchor_status, lost.end - lost.start) == ("", "lost", 1)
