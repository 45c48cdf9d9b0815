"""Suggestions from the workbench: start a run, follow its progress, accept, reject, accept many.

An htmx request gets the workbench's status line, carrying the new codings as any coding
change does (``codings-changed``, in its ``data-change``: accepting all can add hundreds),
plus an ``HX-Trigger`` event ``suggestions-changed`` (the suggestions layer reloads its
list). A plain form post gets
a message and a redirect back to the workbench with the layer shown.
"""

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from codebook.codings import CodingRefused
from codebook.models import Code, Suggester, Suggestion, SuggestionRun
from codebook.page_revision import sent_revision
from codebook.passages import PassageRefused, parse_offset
from codebook.suggestion_decisions import (
    SuggestionRefused,
    accept_all,
    accept_suggestion,
    reject_suggestion,
)
from codebook.suggestion_panel import parse_min_score
from codebook.suggestion_runs import start_run
from codebook.views.coding import _coding_json
from interviews.access import interview_for, study_for
from interviews.models import Interview, Role


def _interview_for_coding(request: HttpRequest, slug: str, pk: int) -> Interview:
    interview, _ = interview_for(request, slug, pk, Role.can_code)
    return interview


def _own_suggestion(request: HttpRequest, interview: Interview, sid: int) -> Suggestion:
    # Another coder's suggestion is as unknown as a missing one: blind coding hides it.
    return get_object_or_404(
        Suggestion.objects.select_related("code"), pk=sid, interview=interview, coder=request.user
    )


def _workbench_url(interview: Interview, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"suggestions": 1, **params}.items())
    return reverse("workbench", args=[interview.study.slug, interview.pk]) + "?" + query


def _answer(request, interview, message, *, error=False, codings=(), history=None):
    if request.htmx:
        context = {"status": message, "status_error": error}
        if codings:
            context["change"] = json.dumps(
                {
                    "message": message,
                    "error": error,
                    "upsert": [_coding_json(coding, request.user) for coding in codings],
                    "remove": [],
                    "code": None,
                    "history": history,
                }
            )
        response = render(request, "codebook/workbench.html#status", context)
        # Only that something changed: the list reloads itself.
        response["HX-Trigger"] = json.dumps({"suggestions-changed": {"error": error}})
        return response
    (messages.error if error else messages.success)(request, message)
    return redirect(_workbench_url(interview))


@require_POST
def suggestion_accept(request: HttpRequest, slug: str, pk: int, sid: int) -> HttpResponse:
    """Accept a suggestion as it is, or with the boundaries the coder adjusted."""
    interview = _interview_for_coding(request, slug, pk)
    suggestion = _own_suggestion(request, interview, sid)
    try:
        start = end = None
        if request.POST.get("start") or request.POST.get("end"):
            start = parse_offset(request.POST.get("start"), "start")
            end = parse_offset(request.POST.get("end"), "end")
        revision = sent_revision(request.POST)
        coding = accept_suggestion(suggestion, interview, request.user, start, end, revision)
    except (SuggestionRefused, CodingRefused, PassageRefused) as error:
        return _answer(request, interview, str(error), error=True)
    return _answer(
        request,
        interview,
        f"Accepted: coded with “{suggestion.code.name}”.",
        codings=[coding],
        history="push",
    )


@require_POST
def suggestion_reject(request: HttpRequest, slug: str, pk: int, sid: int) -> HttpResponse:
    interview = _interview_for_coding(request, slug, pk)
    suggestion = _own_suggestion(request, interview, sid)
    try:
        reject_suggestion(suggestion, request.user)
    except SuggestionRefused as error:
        return _answer(request, interview, str(error), error=True)
    return _answer(
        request, interview, f"Rejected “{suggestion.code.name}” here; it will not come back."
    )


@require_POST
def suggestion_accept_all(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept every open suggestion of one code at or above a score."""
    interview = _interview_for_coding(request, slug, pk)
    code = Code.objects.filter(
        pk=_int(request.POST.get("code")), study=interview.study, grouping_only=False
    ).first()
    if code is None:
        return _answer(request, interview, "Choose the code to accept.", error=True)
    min_score = parse_min_score(request.POST.get("min"))
    # Pages without the list's ids (older pages, scripts) accept every match, as before.
    listed = [n for n in map(_int, request.POST.getlist("listed")) if n is not None] or None
    try:
        revision = sent_revision(request.POST)
        accepted = accept_all(interview, request.user, code, min_score, revision, listed)
    except (SuggestionRefused, CodingRefused, PassageRefused) as error:
        return _answer(request, interview, str(error), error=True)
    message = (
        f"Accepted {len(accepted)} suggestion{'s' if len(accepted) != 1 else ''} "
        f"of “{code.name}” scoring {min_score:.0%} or more."
    )
    return _answer(request, interview, message, codings=accepted, history="push")


@require_POST
def suggestion_run_start(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Start a run for the requesting coder over this interview or the whole study."""
    interview = _interview_for_coding(request, slug, pk)
    suggester = request.POST.get("suggester")
    if suggester not in Suggester.values:
        return _answer(request, interview, "Choose which suggester to run.", error=True)
    scope = interview if request.POST.get("scope") != "study" else None
    run = start_run(interview.study, request.user, suggester, scope, request.user)
    if request.htmx:
        return render(
            request,
            "codebook/suggestion_run.html#run-progress",
            {"study": interview.study, "run": run, "interview": interview},
        )
    return redirect("suggestion-run", slug=interview.study.slug, run_id=run.pk)


def suggestion_run(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    """Show a run's progress; the page polls this while the run is going."""
    study, role = study_for(request, slug, Role.can_code)
    run = get_object_or_404(
        SuggestionRun.objects.select_related("interview").defer("interview__text"),
        pk=run_id,
        study=study,
    )
    if run.coder_id != request.user.pk and not role.can_review():
        raise Http404("No such run.")
    context = {"study": study, "run": run, "interview": run.interview}
    if request.htmx:
        response = render(request, "codebook/suggestion_run.html#run-progress", context)
        if not run.is_active:
            response["HX-Trigger"] = json.dumps({"suggestions-changed": {"run": run.pk}})
        return response
    return render(request, "codebook/suggestion_run.html", context)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    # No row has an id past SQLite's integers (2**63), which a query could not even hold:
    # 0 matches nothing (None would drop a listed id, and an empty list accepts every one).
    return number if abs(number) <= 2**62 else 0
