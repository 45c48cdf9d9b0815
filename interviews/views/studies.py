"""The study list and one study's overview."""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from interviews.access import study_for
from interviews.models import Interview, Membership, Turn

# Lists of interviews never read the transcripts: a long one is megabytes.
TITLES_ONLY = ("text",)


def study_list(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("study")
        .prefetch_related(
            Prefetch(
                "study__interviews",
                queryset=Interview.objects.defer(*TITLES_ONLY).select_related("participant"),
            )
        )
        .order_by("study__title")
    )
    return render(request, "interviews/study_list.html", {"memberships": memberships})


def study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    # Counted in a subquery: a join grouped by interview would group by (and sort) every
    # transcript's text, which took minutes with one 13 MB transcript on SQLite.
    turns = Turn.objects.filter(interview=OuterRef("pk")).order_by().values("interview")
    interviews = (
        study.interviews.select_related("participant")
        .defer(*TITLES_ONLY)
        .annotate(turn_count=Coalesce(Subquery(turns.annotate(n=Count("pk")).values("n")), 0))
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
