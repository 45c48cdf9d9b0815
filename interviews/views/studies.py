"""The study list and one study's overview."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from interviews.access import study_for
from interviews.models import Membership


def study_list(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("study")
        .prefetch_related("study__interviews__participant")
        .order_by("study__title")
    )
    return render(request, "interviews/study_list.html", {"memberships": memberships})


def study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    interviews = study.interviews.select_related("participant").annotate(
        turn_count=Count("turns", distinct=True)
    )
    members = study.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "interviews/study_detail.html",
        {
            "study": study,
            "role": role,
            "interviews": interviews,
            "members": members,
            "can_see_agreement": role.sees_other_coders(study),
        },
    )
