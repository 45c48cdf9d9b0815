"""The permission matrix of every workbench endpoint that changes data.

bob owns the coding; carol codes too; sam supervises; vic views; charlie is a stranger.
"""

import pytest
from django.urls import reverse

from codebook.models import Code, Coding
from tests.conftest import change_of, passage_of


@pytest.fixture
def bobs_coding(interview, codes, bob, make_coding):
    return make_coding(interview, codes["sensemaking"], bob, "We asked citizens")


def _requests(interview, codes, coding):
    """Each endpoint with a valid request body for a member allowed to use it."""
    slug, pk = interview.study.slug, interview.pk
    start, end = passage_of(interview.text, "frontline staff")
    return {
        "add": (
            reverse("coding-add", args=[slug, pk]),
            {"code": codes["inhibitor"].pk, "start": start, "end": end},
        ),
        "new-code": (
            reverse("coding-new-code", args=[slug, pk]),
            {"start": start, "end": end},
        ),
        "change": (
            reverse("coding-change", args=[slug, pk, coding.pk]),
            {"memo": "Changed."},
        ),
        "delete": (reverse("coding-delete", args=[slug, pk, coding.pk]), {}),
        "undo": (reverse("coding-undo", args=[slug, pk]), {}),
        "redo": (reverse("coding-redo", args=[slug, pk]), {}),
        "add-code": (reverse("workbench-code-add", args=[slug, pk]), {"name": "Trust"}),
    }


ENDPOINTS = ["add", "new-code", "change", "delete", "undo", "redo", "add-code"]


def _post(client, user, interview, codes, coding, endpoint):
    if user is not None:
        client.force_login(user)
    url, data = _requests(interview, codes, coding)[endpoint]
    return client.post(url, data, headers={"HX-Request": "true"})


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_coder_may_use_it(client, bob, study, interview, codes, bobs_coding, endpoint):
    study.open_coding = True
    study.save()
    response = _post(client, bob, interview, codes, bobs_coding, endpoint)
    assert response.status_code == 200
    assert change_of(response)["error"] is False


@pytest.mark.parametrize("endpoint", ["change", "delete"])
def test_another_coder_cannot_touch_bobs_coding(
    client, study, carol, interview, codes, bobs_coding, endpoint
):
    study.blind_coding = False
    study.save()
    response = _post(client, carol, interview, codes, bobs_coding, endpoint)
    assert response.status_code == 403
    bobs_coding.refresh_from_db()
    assert bobs_coding.memo == ""


@pytest.mark.parametrize(
    ("endpoint", "said"), [("change", "no longer exists"), ("delete", "already")]
)
def test_a_blind_coder_is_told_bobs_coding_is_not_there(
    client, carol, interview, codes, bobs_coding, endpoint, said
):
    """A 403 would tell carol that another coder coded here, which blind coding hides."""
    response = _post(client, carol, interview, codes, bobs_coding, endpoint)
    assert response.status_code == 200
    assert said in change_of(response)["message"]
    bobs_coding.refresh_from_db()
    assert bobs_coding.memo == ""


@pytest.mark.parametrize("endpoint", ["change", "delete"])
def test_a_supervisor_cannot_touch_bobs_coding(
    client, sam, interview, codes, bobs_coding, endpoint
):
    response = _post(client, sam, interview, codes, bobs_coding, endpoint)
    assert response.status_code == 403
    assert Coding.objects.filter(pk=bobs_coding.pk, memo="").exists()


@pytest.mark.parametrize("endpoint", ["add", "new-code", "undo", "redo", "add-code"])
def test_a_supervisor_codes_on_their_own_account(
    client, sam, bob, interview, codes, bobs_coding, endpoint
):
    response = _post(client, sam, interview, codes, bobs_coding, endpoint)
    assert response.status_code == 200
    assert change_of(response)["error"] is False
    assert Coding.objects.filter(pk=bobs_coding.pk, coder=bob, memo="").exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_viewer_is_forbidden(client, vic, interview, codes, bobs_coding, endpoint):
    response = _post(client, vic, interview, codes, bobs_coding, endpoint)
    assert response.status_code == 403
    assert list(Coding.objects.values_list("pk", "memo")) == [(bobs_coding.pk, "")]
    assert not Code.objects.filter(name="Trust").exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_stranger_finds_nothing(client, charlie, interview, codes, bobs_coding, endpoint):
    response = _post(client, charlie, interview, codes, bobs_coding, endpoint)
    assert response.status_code == 404
    assert Coding.objects.count() == 1


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, interview, codes, bobs_coding, endpoint):
    response = _post(client, None, interview, codes, bobs_coding, endpoint)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Coding.objects.count() == 1


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_it_refuses_a_get(client, bob, interview, codes, bobs_coding, endpoint):
    client.force_login(bob)
    url, _ = _requests(interview, codes, bobs_coding)[endpoint]
    assert client.get(url).status_code == 405


def test_a_coder_may_not_add_codes_unless_coding_is_open(
    client, bob, interview, codes, bobs_coding
):
    response = _post(client, bob, interview, codes, bobs_coding, "add-code")
    assert response.status_code == 403
    assert not Code.objects.filter(name="Trust").exists()


def test_in_vivo_coding_is_refused_with_a_message_without_open_coding(
    client, bob, interview, codes, bobs_coding
):
    response = _post(client, bob, interview, codes, bobs_coding, "new-code")
    assert "does not allow adding codes" in response.content.decode()
    assert Coding.objects.count() == 1


@pytest.mark.parametrize("data", [{"memo": "A long thought."}, {"edge": "end", "step": "1"}])
def test_changing_a_coding_deleted_meanwhile_answers_with_a_message(
    client, bob, interview, codes, bobs_coding, data
):
    url = reverse("coding-change", args=[interview.study.slug, interview.pk, bobs_coding.pk])
    Coding.objects.all().delete()  # in another tab
    client.force_login(bob)
    response = client.post(url, data, headers={"HX-Request": "true"})
    # Not a "Page not found" that replaces the workbench and the memo typed in it:
    # a status message, and nothing for the page to draw, so the panel stays as it is.
    assert response.status_code == 200
    change = change_of(response)
    assert change["error"] is True
    assert "deleted meanwhile" in change["message"]
    assert change["upsert"] == change["remove"] == []
    assert "deleted meanwhile" in response.content.decode()


def test_deleting_a_coding_deleted_meanwhile_takes_it_off_the_page(
    client, bob, interview, codes, bobs_coding
):
    url = reverse("coding-delete", args=[interview.study.slug, interview.pk, bobs_coding.pk])
    Coding.objects.all().delete()
    client.force_login(bob)
    response = client.post(url, headers={"HX-Request": "true"})
    change = change_of(response)
    assert (change["remove"], change["history"]) == ([bobs_coding.pk], None)
    assert "already deleted" in change["message"]


def test_a_plain_form_about_a_deleted_coding_goes_back_to_the_workbench(
    client, bob, interview, codes, bobs_coding
):
    url = reverse("coding-change", args=[interview.study.slug, interview.pk, bobs_coding.pk])
    Coding.objects.all().delete()
    client.force_login(bob)
    response = client.post(url, {"memo": "Typed."}, follow=True)
    assert response.status_code == 200
    assert "deleted meanwhile" in response.content.decode()


def test_an_id_past_any_coding_is_no_coding(client, bob, interview, codes, bobs_coding):
    url = reverse("coding-change", args=[interview.study.slug, interview.pk, 2**63])
    client.force_login(bob)
    response = client.post(url, {"memo": "Typed."}, headers={"HX-Request": "true"})
    assert "no longer exists" in change_of(response)["message"]
