import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Interview, Membership, Role, Study


def test_the_study_list_shows_only_the_users_studies(client, study, interview, charlie):
    other = Study.objects.create(title="Someone else's study", slug="other")
    Membership.objects.create(study=other, user=charlie, role=Role.OWNER)
    client.force_login(charlie)
    page = client.get(reverse("study-list")).content.decode()
    assert "Someone else&#x27;s study" in page
    assert "Co-production pilot" not in page
    assert interview.title not in page


def test_a_member_sees_the_study_and_its_interviews(client, study, interview, bob):
    client.force_login(bob)
    response = client.get(reverse("study-detail", args=[study.slug]))
    assert response.status_code == 200
    assert interview.title in response.content.decode()


def test_a_stranger_gets_404_for_the_study_and_its_interviews(client, study, interview, charlie):
    client.force_login(charlie)
    assert client.get(reverse("study-detail", args=[study.slug])).status_code == 404
    assert client.get(interview.get_absolute_url()).status_code == 404


def test_an_interview_of_another_study_is_not_found_under_this_study(client, study, bob):
    other = Study.objects.create(title="Other", slug="other")
    foreign = Interview.objects.create(study=other, title="Foreign", text="Hidden words.")
    client.force_login(bob)
    response = client.get(reverse("workbench", args=[study.slug, foreign.pk]))
    assert response.status_code == 404


def test_the_study_list_makes_a_bounded_number_of_queries(
    client, bob, django_assert_max_num_queries
):
    for number in range(8):
        study = Study.objects.create(title=f"Study {number}", slug=f"study-{number}")
        Membership.objects.create(study=study, user=bob, role=Role.CODER)
        for position in range(5):
            Interview.objects.create(study=study, title=f"Interview {position}", text="Words.")
    client.force_login(bob)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("study-list"))
    assert response.content.decode().count("Interview 4") == 8


@pytest.mark.parametrize("page", ["study-list", "study-detail"])
def test_the_study_pages_do_not_read_the_transcripts(client, study, interview, bob, page):
    # A transcript can be megabytes; grouping or fetching them made the study page hang.
    client.force_login(bob)
    url = reverse(page, args=[study.slug] if page == "study-detail" else [])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert interview.title in response.content.decode()
    reading_text = [q["sql"] for q in queries if '"interviews_interview"."text"' in q["sql"]]
    assert reading_text == []


def test_the_study_page_counts_each_interviews_turns(client, study, interview, bob):
    Interview.objects.create(study=study, title="Not yet split", text="Words.")
    client.force_login(bob)
    response = client.get(reverse("study-detail", args=[study.slug]))
    rows = {row.title: row.turn_count for row in response.context["interviews"]}
    assert rows == {interview.title: interview.turns.count(), "Not yet split": 0}
    assert interview.turns.count() > 0


def test_every_page_names_its_icon_so_browsers_ask_for_no_missing_favicon(client):
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon" href="/static/img/coprod.svg"' in page
    assert finders.find("img/coprod.svg")
