"""The workbench: one interview's transcript, its codings, the codebook and the coding panel."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from codebook.suggestion_panel import SuggestionPanel
from codebook.workbench import Workbench
from interviews.access import interview_for

# Regions the page's scripts refresh on their own (``?part=`` with an htmx request).
PARTS = {"sidebar", "coding-list", "coding-panel"}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def workbench(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    interview, role = interview_for(request, slug, pk)
    page = Workbench(interview, role, request.user, request.GET)
    suggestions = SuggestionPanel(interview, role, request.user, request.GET)
    context = {
        "study": interview.study,
        "interview": interview,
        "role": role,
        "page": page,
        "suggestions": suggestions,
    }
    part = request.GET.get("part")
    if request.htmx and part == "suggestions":
        return render(request, "codebook/_suggestions.html#suggestions", context)
    if request.htmx and part in PARTS:
        return render(request, f"codebook/workbench.html#{part}", context)
    return render(request, "codebook/workbench.html", context)
