"""Access helpers every view starts with: strangers get 404, wrong roles 403."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from interviews.models import Interview, Membership, Role, Study


def study_for(
    request: HttpRequest, slug: str, allowed: Callable[[Role], bool] | None = None
) -> tuple[Study, Role]:
    """Return the study and the user's role in it; 404 for non-members, 403 if not ``allowed``."""
    membership = (
        Membership.objects.select_related("study")
        .filter(study__slug=slug, user=request.user)
        .first()
    )
    if membership is None:
        raise Http404("No such study.")
    role = Role(membership.role)
    if allowed is not None and not allowed(role):
        raise PermissionDenied("Your role in this study does not allow this.")
    return membership.study, role


def interview_for(
    request: HttpRequest, slug: str, pk: int, allowed: Callable[[Role], bool] | None = None
) -> tuple[Interview, Role]:
    """Return an interview of the study in the URL, with the user's role in that study."""
    study, role = study_for(request, slug, allowed)
    interview = get_object_or_404(
        Interview.objects.select_related("participant"), study=study, pk=pk
    )
    interview.study = study
    return interview, role
