"""Who may import, correct and review: member ok, wrong role 403, stranger 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from interviews.models import PendingImport

IMPORTERS = {"alice": 302, "sam": 302, "bob": 403, "vic": 403, "charlie": 404}


def client_for(request, name):
    client = Client()
    if name != "anonymous":
        client.force_login(request.getfixturevalue(name))
    return client


@pytest.mark.parametrize("name", [*IMPORTERS, "anonymous"])
def test_upload_permission_matrix(request, study, name):
    url = reverse("import-interviews", args=[study.slug])
    response = client_for(request, name).post(
        url, {"files": [SimpleUploadedFile("a.txt", b"P1: hello")]}
    )
    expected = IMPORTERS.get(name, 302)
    assert response.status_code == expected
    if name == "anonymous":
        assert response.url.startswith(reverse("login"))
    assert PendingImport.objects.exists() == (name in ("alice", "sam"))


@pytest.mark.parametrize("name", [*IMPORTERS, "anonymous"])
def test_upload_page_permission_matrix(request, study, name):
    response = client_for(request, name).get(reverse("import-interviews", args=[study.slug]))
    expected = {"alice": 200, "sam": 200}.get(name, IMPORTERS.get(name, 302))
    assert response.status_code == expected


@pytest.mark.parametrize("name", [*IMPORTERS, "anonymous"])
def test_correction_permission_matrix(request, interview, name):
    url = reverse("correct-transcript", args=[interview.study.slug, interview.pk])
    response = client_for(request, name).post(
        url, {"text": interview.text + "\nExtra line.", "revision": interview.revision}
    )
    assert response.status_code == IMPORTERS.get(name, 302)
    interview.refresh_from_db()
    assert interview.text.endswith("Extra line.") == (name in ("alice", "sam"))


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("alice", 200),
        ("sam", 200),
        ("bob", 403),
        ("vic", 403),
        ("charlie", 404),
        ("anonymous", 302),
    ],
)
def test_correction_page_permission_matrix(request, interview, name, status):
    url = reverse("correct-transcript", args=[interview.study.slug, interview.pk])
    assert client_for(request, name).get(url).status_code == status


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("alice", 200),
        ("sam", 200),
        ("bob", 403),
        ("vic", 403),
        ("charlie", 404),
        ("anonymous", 302),
    ],
)
def test_attribute_upload_permission_matrix(request, study, name, status):
    url = reverse("participants", args=[study.slug])
    data = {"csv_file": SimpleUploadedFile("a.csv", b"participant,age\nP1,40\n")}
    response = client_for(request, name).post(url, data)
    assert response.status_code in ((status, 302) if status == 200 else (status,))
    assert study.participants.filter(label="P1").exists() == (name in ("alice", "sam"))


@pytest.mark.parametrize(
    ("name", "status"),
    [("alice", 200), ("bob", 200), ("vic", 200), ("charlie", 404), ("anonymous", 302)],
)
def test_participant_list_and_versions_are_readable_by_members(request, interview, name, status):
    client = client_for(request, name)
    slug = interview.study.slug
    assert client.get(reverse("participants", args=[slug])).status_code == status
    url = reverse("interview-revisions", args=[slug, interview.pk])
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("alice", 200),
        ("sam", 200),
        ("bob", 200),
        ("vic", 403),
        ("charlie", 404),
        ("anonymous", 302),
    ],
)
def test_review_page_permission_matrix(request, study, name, status):
    url = reverse("review-anchors", args=[study.slug])
    assert client_for(request, name).get(url).status_code == status
