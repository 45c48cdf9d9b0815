"""The site's administrator gives an account a role in a study from the shell."""

import io

import pytest
from django.core.management import CommandError, call_command

from interviews.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_it_makes_an_account_the_owner_of_a_study(study, charlie):
    out = io.StringIO()
    call_command("add_member", study.slug, "charlie", "--role", "owner", stdout=out)
    assert Membership.objects.get(study=study, user=charlie).role == Role.OWNER
    assert out.getvalue() == "charlie joined pilot as owner.\n"


def test_it_refuses_an_account_already_a_member(study, bob):
    with pytest.raises(CommandError, match="bob is already a member of this study"):
        call_command("add_member", study.slug, "bob", "--role", "owner")
    assert Membership.objects.get(study=study, user=bob).role == Role.CODER


def test_it_names_an_unknown_account(study):
    with pytest.raises(CommandError, match="There is no account named “dora”"):
        call_command("add_member", study.slug, "dora")


def test_it_names_an_unknown_study(charlie):
    with pytest.raises(CommandError, match="no study with the slug 'nowhere'"):
        call_command("add_member", "nowhere", "charlie")
