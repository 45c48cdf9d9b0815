"""Permission matrix of the codebook pages: who may see, who may change what."""

import pytest
from django.test import Client
from django.urls import reverse

from codebook.models import Code

READ_PAGES = [
    "codebook",
    "codebook-history",
    "codebook-versions",
    "codebook-compare",
    "codebook-export-csv",
    "codebook-export-qdc",
    "codebook-print",
    "codebook-markdown",
]
# (url name, needs a code, POST data that changes something)
CHANGES = [
    ("codebook-code", True, {"name": "Renamed", "colour": "#000000", "version": 1}),
    ("codebook-move", True, {"parent": ""}),
    ("codebook-reorder", True, {"direction": "up"}),
    ("codebook-merge", True, {"target": "", "confirm": "on"}),
    ("codebook-split", True, {"new_name": "New", "confirm": "on"}),
    ("codebook-delete", True, {}),
    ("codebook-versions", False, {"name": "v1"}),
    ("codebook-import", False, {}),
]


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(name, study, code, needs_code):
    return reverse(name, args=[study.slug, code.pk] if needs_code else [study.slug])


@pytest.mark.parametrize("name", READ_PAGES)
def test_every_member_reads_and_strangers_get_404(name, study, codes, vic, charlie):
    url = reverse(name, args=[study.slug])
    assert _client(vic).get(url).status_code == 200
    assert _client(charlie).get(url).status_code == 404
    assert _client(None).get(url).status_code == 302


@pytest.mark.parametrize(("name", "needs_code", "data"), CHANGES)
@pytest.mark.parametrize(("persona", "status"), [("bob", 403), ("vic", 403), ("charlie", 404)])
def test_only_owners_and_supervisors_reshape(
    request, name, needs_code, data, persona, status, study, codes
):
    code = codes["inhibitor"]
    response = _client(request.getfixturevalue(persona)).post(
        _url(name, study, code, needs_code), data
    )
    assert response.status_code == status
    code.refresh_from_db()
    assert code.name == "Inhibitor"
    assert not study.codebook_changes.exists() and not study.codebook_versions.exists()


@pytest.mark.parametrize(("name", "needs_code", "data"), CHANGES)
@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_owners_and_supervisors_reach_every_change(
    request, name, needs_code, data, persona, study, codes
):
    url = _url(name, study, codes["inhibitor"], needs_code)
    response = _client(request.getfixturevalue(persona)).post(url, data)
    assert response.status_code in (200, 302)


def test_anonymous_visitors_are_sent_to_sign_in_for_changes(study, codes):
    url = reverse("codebook-delete", args=[study.slug, codes["inhibitor"].pk])
    assert _client(None).post(url).status_code == 302
    assert Code.objects.filter(pk=codes["inhibitor"].pk).exists()


def test_coders_add_codes_only_under_open_coding(study, codes, bob):
    url = reverse("codebook-add", args=[study.slug])
    data = {"name": "Trust", "colour": "#123456"}
    assert _client(bob).post(url, data).status_code == 403
    study.open_coding = True
    study.save()
    assert _client(bob).post(url, data).status_code == 302
    assert Code.objects.filter(study=study, name="Trust").exists()
    edit = reverse("codebook-code", args=[study.slug, codes["inhibitor"].pk])
    assert (
        _client(bob).post(edit, {"name": "X", "colour": "#000000", "version": 1}).status_code == 403
    )


@pytest.mark.parametrize(("persona", "status"), [("sam", 403), ("bob", 403), ("charlie", 404)])
def test_only_the_owner_switches_open_coding(request, persona, status, study):
    url = reverse("codebook-open-coding", args=[study.slug])
    client = _client(request.getfixturevalue(persona))
    assert client.post(url, {"open_coding": "on"}).status_code == status
    study.refresh_from_db()
    assert not study.open_coding


def test_a_code_of_another_study_is_not_found(study, codes, alice):
    from interviews.models import Membership, Role, Study

    other = Study.objects.create(title="Other", slug="other")
    Membership.objects.create(study=other, user=alice, role=Role.OWNER)
    url = reverse("codebook-code", args=[other.slug, codes["inhibitor"].pk])
    assert _client(alice).get(url).status_code == 404
