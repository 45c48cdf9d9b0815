"""A study's members, for its owners: add an account, change a role, remove a member."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from interviews import members
from interviews.access import study_for
from interviews.forms import AddMemberForm, MemberRoleForm
from interviews.models import Role


def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug, Role.can_manage)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = members.find_account(form.cleaned_data["account"])
            membership = members.add_member(
                study, request.user, account, Role(form.cleaned_data["role"])
            )
        except members.MembershipRefused as refusal:
            form.add_error("account", str(refusal))
        else:
            messages.success(
                request,
                f"{account.get_username()} is now a member of this study "
                f"({membership.get_role_display().lower()}).",
            )
            return redirect("study-members", slug=study.slug)
    memberships = study.memberships.select_related("user").order_by("user__username")
    return render(
        request,
        "interviews/members.html",
        {"study": study, "role": role, "form": form, "memberships": memberships, "roles": Role},
    )


@require_POST
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    study, _ = study_for(request, slug, Role.can_manage)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles in the list.")
        return redirect("study-members", slug=study.slug)
    new_role = Role(form.cleaned_data["role"])
    try:
        membership = members.change_role(study, request.user, pk, new_role)
    except members.MembershipRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("study-members", slug=study.slug)
    messages.success(
        request, f"{membership.user.get_username()} is now a {new_role.label.lower()}."
    )
    if membership.user_id == request.user.pk and not new_role.can_manage():
        return redirect(study)  # the members page is no longer theirs to see
    return redirect("study-members", slug=study.slug)


def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    study, role = study_for(request, slug, Role.can_manage)
    if request.method != "POST":
        membership = get_object_or_404(study.memberships.select_related("user"), pk=pk)
        return render(
            request,
            "interviews/member_remove.html",
            {"study": study, "role": role, "membership": membership},
        )
    try:
        membership = members.remove_member(study, request.user, pk)
    except members.MembershipRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("study-members", slug=study.slug)
    name = membership.user.get_username()
    messages.success(
        request, f"{name} is no longer a member of {study.title}; their codings stay in it."
    )
    if membership.user_id == request.user.pk:
        return redirect("study-list")
    return redirect("study-members", slug=study.slug)
