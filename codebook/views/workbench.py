"""The workbench: one interview's transcript with its codings."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from interviews.access import interview_for


def workbench(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    interview, role = interview_for(request, slug, pk)
    turns = list(interview.turns.all())
    text = interview.text
    context = {
        "study": interview.study,
        "interview": interview,
        "role": role,
        "turns": [(turn, text[turn.start : turn.end]) for turn in turns],
        "attributes": interview.participant.attributes.all() if interview.participant else [],
    }
    return render(request, "codebook/workbench.html", context)
