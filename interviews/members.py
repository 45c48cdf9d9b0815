"""A study's members: add an account, change a member's role, remove a member.

A study always keeps at least one owner, or nobody could manage it again from
the web. The rule spans rows, which no CHECK constraint can hold, so every
change reads the study's memberships locked (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite's ``IMMEDIATE`` transactions already let one writer in at a
time) and decides on what it read: two owners demoting each other at the same
moment are taken one after the other, and the second finds a single owner left.
The acting owner is checked again under the same lock, since they may have been
demoted a moment ago. A member's codings refer to their account, not to their
membership, so removing a member leaves their work in the study.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from interviews.models import Membership, Role, Study


class MembershipRefused(Exception):
    """A change of members that the study's rules refuse; the message says why."""


def find_account(name: str):
    """Return the account with this user name (or, failing that, this e-mail address)."""
    users = get_user_model().objects
    name = name.strip()
    account = users.filter(username=name).first()
    if account is None:
        alike = list(users.filter(username__iexact=name)[:2])
        if len(alike) > 1:
            raise MembershipRefused(
                f"Several accounts are named “{name}” but for capitals: give the user name "
                "exactly as it is written."
            )
        account = alike[0] if alike else None
    if account is None and "@" in name:
        by_email = list(users.filter(email__iexact=name)[:2])
        if len(by_email) > 1:
            raise MembershipRefused(
                f"Several accounts have the e-mail address {name}: give the user name instead."
            )
        account = by_email[0] if by_email else None
    if account is None:
        # On a research group's own server the members know each other's names:
        # saying so helps more than it reveals.
        raise MembershipRefused(
            f"There is no account named “{name}”. Accounts are made by the site's "
            "administrator; ask them to make one, then add it here."
        )
    return account


def add_member(study: Study, actor, user, role: Role) -> Membership:
    """Make ``user`` a member of ``study`` with ``role``; refuse if they already are one.

    ``actor`` is the owner adding them, or None for the site's administrator (the shell).
    """
    try:
        with transaction.atomic():
            memberships = _locked(study, actor)
            for membership in memberships:
                if membership.user_id == user.pk:
                    raise _already_member(user, Role(membership.role))
            return Membership.objects.create(study=study, user=user, role=role)
    except IntegrityError:
        # SQLite's lock and PostgreSQL's row locks do not stop a second insert
        # of the same person; the unique constraint on (study, user) does.
        existing = study.memberships.get(user=user)
        raise _already_member(user, Role(existing.role)) from None


def _already_member(user, role: Role) -> MembershipRefused:
    return MembershipRefused(
        f"{user.get_username()} is already a member of this study ({role.label.lower()}): "
        "change their role in the list instead."
    )


def change_role(study: Study, actor, member_pk: int, role: Role) -> Membership:
    """Give a member another role, keeping at least one owner."""
    with transaction.atomic():
        memberships = _locked(study, actor)
        member = _member(memberships, member_pk)
        if Role(member.role) == Role.OWNER and role != Role.OWNER:
            _keep_an_owner(memberships, member, f"make them a {role.label.lower()}")
        member.role = role
        member.save(update_fields=["role"])
        return member


def remove_member(study: Study, actor, member_pk: int) -> Membership:
    """Take a member's access to the study away, keeping at least one owner and their codings."""
    with transaction.atomic():
        memberships = _locked(study, actor)
        member = _member(memberships, member_pk)
        if Role(member.role) == Role.OWNER:
            _keep_an_owner(memberships, member, "remove them")
        member.delete()
        return member


def _locked(study: Study, actor) -> list[Membership]:
    memberships = list(
        Membership.objects.select_for_update()
        .filter(study=study)
        .select_related("user")
        .order_by("pk")
    )
    if actor is None:
        return memberships
    if not any(m.user_id == actor.pk and Role(m.role).can_manage() for m in memberships):
        raise PermissionDenied("Your role in this study does not allow this.")
    return memberships


def _member(memberships: list[Membership], member_pk: int) -> Membership:
    for membership in memberships:
        if membership.pk == member_pk:
            return membership
    raise MembershipRefused("That person is no longer a member of this study.")


def _keep_an_owner(memberships: list[Membership], member: Membership, change: str) -> None:
    if count_owners(memberships) < 2:
        raise MembershipRefused(
            f"{member.user.get_username()} is the study's only owner, and a study needs one: "
            f"make another member an owner first, then {change}."
        )


def count_owners(memberships: list[Membership]) -> int:
    """Count the owners among the locked memberships (one place the tests can hold up)."""
    return sum(1 for m in memberships if Role(m.role) == Role.OWNER)
