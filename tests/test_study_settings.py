import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_owner_lifts_blind_coding(client, study, alice):
    client.force_login(alice)
    url = reverse("study-settings", args=[study.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"open_coding": "on"})
    assert response.status_code == 302
    study.refresh_from_db()
    assert (study.blind_coding, study.open_coding) == (False, True)


def test_the_owner_turns_blind_coding_back_on(client, study, alice):
    study.blind_coding = False
    study.save()
    client.force_login(alice)
    client.post(reverse("study-settings", args=[study.slug]), {"blind_coding": "on"})
    study.refresh_from_db()
    assert study.blind_coding is True


@pytest.mark.parametrize("persona", ["sam", "bob", "vic"])
def test_other_members_cannot_change_settings(client, request, study, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("study-settings", args=[study.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    study.refresh_from_db()
    assert study.blind_coding is True


def test_a_stranger_gets_404(client, study, charlie):
    client.force_login(charlie)
    assert client.get(reverse("study-settings", args=[study.slug])).status_code == 404


def test_anonymous_visitors_sign_in_first(client, study):
    response = client.get(reverse("study-settings", args=[study.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_only_the_owner_sees_the_settings_link(client, study, alice, sam):
    url = reverse("study-detail", args=[study.slug])
    settings_url = reverse("study-settings", args=[study.slug])
    client.force_login(alice)
    assert settings_url in client.get(url).content.decode()
    client.force_login(sam)
    assert settings_url not in client.get(url).content.decode()
