"""An owner manages the study's members: add an account, change a role, remove a member."""

import contextlib
import threading
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from codebook.models import Coding
from interviews import members
from interviews.models import Membership, Role

pytestmark = pytest.mark.django_db


def _members_url(study):
    return reverse("study-members", args=[study.slug])


def _role_url(study, user):
    membership = Membership.objects.get(study=study, user=user)
    return reverse("study-member-role", args=[study.slug, membership.pk])


def _remove_url(study, user):
    membership = Membership.objects.get(study=study, user=user)
    return reverse("study-member-remove", args=[study.slug, membership.pk])


def _role(study, user):
    membership = Membership.objects.filter(study=study, user=user).first()
    return membership and Role(membership.role)


def _text(response) -> str:
    return unescape(response.content.decode())


def _as(client, user):
    client.force_login(user)
    return client


def test_the_owner_sees_every_member_with_their_role(client, study, alice):
    html = _as(client, alice).get(_members_url(study)).content.decode()
    for name in ["alice", "sam", "bob", "carol", "vic"]:
        assert f"Role of {name}" in html
    assert "charlie" not in html
    assert '<option value="supervisor" selected>' in html


def test_the_owner_adds_an_account_by_its_user_name(client, study, alice, charlie):
    response = _as(client, alice).post(
        _members_url(study), {"account": " charlie ", "role": "coder"}, follow=True
    )
    assert _role(study, charlie) == Role.CODER
    assert "charlie is now a member of this study (coder)." in _text(response)


def test_the_owner_adds_an_account_by_its_email_address(client, study, alice, charlie):
    charlie.email = "Charlie@Example.org"
    charlie.save()
    _as(client, alice).post(
        _members_url(study), {"account": "charlie@example.org", "role": "viewer"}
    )
    assert _role(study, charlie) == Role.VIEWER


def test_adding_a_member_twice_says_they_are_one(client, study, alice):
    response = _as(client, alice).post(_members_url(study), {"account": "bob", "role": "viewer"})
    assert response.status_code == 200
    assert "bob is already a member of this study (coder)" in _text(response)
    assert Membership.objects.filter(study=study).count() == 5
    assert Membership.objects.get(study=study, user__username="bob").role == Role.CODER


def test_an_unknown_account_is_named_and_nothing_changes(client, study, alice):
    response = _as(client, alice).post(_members_url(study), {"account": "dora", "role": "coder"})
    assert response.status_code == 200
    assert "There is no account named “dora”" in _text(response)
    assert Membership.objects.filter(study=study).count() == 5


def test_a_name_two_accounts_share_but_for_capitals_asks_for_the_exact_one(client, study, alice):
    User = get_user_model()
    User.objects.create_user("Dave")
    dave = User.objects.create_user("dave")
    response = _as(client, alice).post(_members_url(study), {"account": "DAVE", "role": "viewer"})
    assert "Several accounts are named “DAVE” but for capitals" in _text(response)
    _as(client, alice).post(_members_url(study), {"account": "dave", "role": "viewer"})
    assert _role(study, dave) == Role.VIEWER


def test_an_unknown_role_is_refused(client, study, alice, charlie):
    response = _as(client, alice).post(_members_url(study), {"account": "charlie", "role": "admin"})
    assert response.status_code == 200
    assert _role(study, charlie) is None


def test_the_owner_changes_a_members_role(client, study, alice, bob):
    response = _as(client, alice).post(_role_url(study, bob), {"role": "supervisor"}, follow=True)
    assert _role(study, bob) == Role.SUPERVISOR
    assert "bob is now a supervisor." in _text(response)


def test_the_last_owner_cannot_be_demoted(client, study, alice):
    response = _as(client, alice).post(_role_url(study, alice), {"role": "coder"}, follow=True)
    assert _role(study, alice) == Role.OWNER
    assert "alice is the study's only owner" in _text(response)


def test_the_last_owner_cannot_be_removed(client, study, alice):
    response = _as(client, alice).post(_remove_url(study, alice), follow=True)
    assert _role(study, alice) == Role.OWNER
    assert "alice is the study's only owner" in _text(response)


def test_one_of_two_owners_may_step_down(client, study, alice, sam):
    Membership.objects.filter(study=study, user=sam).update(role=Role.OWNER)
    response = _as(client, alice).post(_role_url(study, alice), {"role": "coder"})
    assert _role(study, alice) == Role.CODER
    assert response["Location"] == study.get_absolute_url()


def test_a_demoted_owner_can_no_longer_change_roles(client, study, alice, sam, bob):
    Membership.objects.filter(study=study, user=sam).update(role=Role.OWNER)
    alice_client = _as(Client(), alice)
    stale_url = _role_url(study, sam)  # alice's page, read while she was an owner
    _as(client, sam).post(_role_url(study, alice), {"role": "coder"})
    assert alice_client.post(stale_url, {"role": "coder"}).status_code == 403
    assert _role(study, sam) == Role.OWNER


def test_the_owner_removes_a_member_and_their_codings_stay(client, study, alice, bob, coded):
    before = Coding.objects.filter(coder=bob).count()
    assert before > 0
    response = _as(client, alice).post(_remove_url(study, bob), follow=True)
    assert _role(study, bob) is None
    assert Coding.objects.filter(coder=bob).count() == before
    assert "bob is no longer a member" in _text(response)
    assert _as(Client(), bob).get(study.get_absolute_url()).status_code == 404


def test_a_removed_coders_work_is_still_offered_for_comparison(
    client, study, alice, sam, bob, carol, coded
):
    _as(client, alice).post(_remove_url(study, bob))
    supervisor = _as(Client(), sam)
    agreement = supervisor.get(reverse("agreement", args=[study.slug]))
    assert (str(bob.pk), "bob") in agreement.context["form"].fields["coders"].choices
    assert bob.pk in agreement.context["report"].coders  # the busiest two, as before
    workbench = supervisor.get(coded.get_absolute_url())
    assert (bob.pk, "bob") in workbench.context["page"].layers.coders
    # An interview bob never coded does not offer him as a layer.
    other = coded.study.interviews.create(title="Second interview", text="Words.")
    later = supervisor.get(other.get_absolute_url())
    assert (bob.pk, "bob") not in later.context["page"].layers.coders
    segments = supervisor.get(reverse("retrieval", args=[study.slug]))
    assert bob in segments.context["form"].fields["coder"].queryset


def test_a_viewer_who_only_settled_is_not_offered_as_a_coder(
    client, study, alice, vic, carol, coded, make_coding, codes
):
    # vic's consensus coding is the agreed layer's, not a coding of vic's own.
    make_coding(coded, codes["inhibitor"], vic, "The budget was tight", origin="consensus")
    offered = _as(client, alice).get(reverse("retrieval", args=[study.slug]))
    assert vic not in offered.context["form"].fields["coder"].queryset
    make_coding(coded, codes["identity"], vic, "The budget was tight")
    offered = _as(client, alice).get(reverse("retrieval", args=[study.slug]))
    assert vic in offered.context["form"].fields["coder"].queryset


def test_the_removal_page_says_the_codings_stay(client, study, alice, bob):
    response = _as(client, alice).get(_remove_url(study, bob))
    html = _text(response)
    assert response.status_code == 200
    assert "their codings and memos are research data and stay in the study" in html
    assert _role(study, bob) == Role.CODER


def test_an_owner_who_removes_themselves_goes_back_to_their_studies(client, study, alice, sam):
    Membership.objects.filter(study=study, user=sam).update(role=Role.OWNER)
    response = _as(client, alice).post(_remove_url(study, alice))
    assert response["Location"] == reverse("study-list")
    assert _role(study, alice) is None


@pytest.mark.parametrize("persona", ["sam", "bob", "vic"])
def test_other_members_get_403(client, request, study, persona, charlie, carol):
    _as(client, request.getfixturevalue(persona))
    assert client.get(_members_url(study)).status_code == 403
    assert (
        client.post(_members_url(study), {"account": "charlie", "role": "owner"}).status_code == 403
    )
    assert client.post(_role_url(study, carol), {"role": "owner"}).status_code == 403
    assert client.get(_remove_url(study, carol)).status_code == 403
    assert client.post(_remove_url(study, carol)).status_code == 403
    assert _role(study, charlie) is None
    assert _role(study, carol) == Role.CODER


def test_a_stranger_gets_404(client, study, charlie, bob):
    _as(client, charlie)
    assert client.get(_members_url(study)).status_code == 404
    assert client.post(_role_url(study, bob), {"role": "owner"}).status_code == 404
    assert client.post(_remove_url(study, bob)).status_code == 404
    assert _role(study, bob) == Role.CODER


def test_anonymous_visitors_sign_in_first(client, study):
    response = client.get(_members_url(study))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_post_without_csrf_token_is_refused(study, alice, charlie):
    client = _as(Client(enforce_csrf_checks=True), alice)
    assert (
        client.post(_members_url(study), {"account": "charlie", "role": "coder"}).status_code == 403
    )
    assert _role(study, charlie) is None


def test_changing_a_role_needs_a_post(client, study, alice, bob):
    assert _as(client, alice).get(_role_url(study, bob)).status_code == 405


def test_the_list_takes_the_same_queries_for_many_members(
    client, study, alice, django_assert_max_num_queries
):
    _as(client, alice)
    with django_assert_max_num_queries(4):
        client.get(_members_url(study))
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"coder{n}") for n in range(30)
    )
    Membership.objects.bulk_create(Membership(study=study, user=u, role=Role.CODER) for u in users)
    with django_assert_max_num_queries(4):
        response = client.get(_members_url(study))
    assert "Role of coder29" in _text(response)


def test_only_owners_see_the_members_link(client, study, alice, sam):
    members_url = _members_url(study)
    assert members_url in _as(client, alice).get(study.get_absolute_url()).content.decode()
    assert members_url in client.get(reverse("study-settings", args=[study.slug])).content.decode()
    assert members_url not in _as(client, sam).get(study.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner(study, alice, sam, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: the race needs PostgreSQL")
    Membership.objects.filter(study=study, user=sam).update(role=Role.OWNER)
    urls = {alice: _role_url(study, sam), sam: _role_url(study, alice)}
    # Hold each request after it has counted the owners until the other has counted
    # too: without a lock both count two owners and both demote.
    both_counted = threading.Barrier(2)
    count_owners = members.count_owners

    def count_then_wait(memberships):
        owners = count_owners(memberships)
        # A broken barrier: the other request waits for our lock, as it should.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_counted.wait(timeout=2)
        return owners

    monkeypatch.setattr(members, "count_owners", count_then_wait)
    statuses = {}

    def demote_the_other(owner):
        try:
            response = _as(Client(), owner).post(urls[owner], {"role": "coder"})
            statuses[owner.username] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=demote_the_other, args=(o,)) for o in (alice, sam)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Membership.objects.filter(study=study, role=Role.OWNER).count() == 1
    assert sorted(statuses.values()) == [302, 403]  # the second is no longer an owner
