"""Correct a transcript's text, and look back at its earlier versions."""

import difflib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from interviews.access import interview_for
from interviews.corrections import NothingChanged, StaleRevision, correct_transcript
from interviews.forms import CorrectionForm
from interviews.models import Role


def correct(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    interview, role = interview_for(request, slug, pk, Role.can_import)
    form = CorrectionForm(initial={"text": interview.text, "revision": interview.revision})
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                counts = correct_transcript(
                    interview,
                    form.cleaned_data["text"],
                    request.user,
                    form.cleaned_data["revision"],
                )
            except (StaleRevision, NothingChanged, ValueError) as problem:
                form.add_error(None, _refusal(problem))
            else:
                messages.success(request, _summary(counts))
                return redirect(interview.get_absolute_url())
    return render(
        request,
        "interviews/correct.html",
        {"study": interview.study, "role": role, "interview": interview, "form": form},
    )


def revision_list(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    interview, role = interview_for(request, slug, pk)
    revisions = interview.revisions.select_related("author").defer("old_text", "new_text")
    return render(
        request,
        "interviews/revisions.html",
        {"study": interview.study, "role": role, "interview": interview, "revisions": revisions},
    )


def revision_detail(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    interview, role = interview_for(request, slug, pk)
    revision = get_object_or_404(interview.revisions.select_related("author"), number=number)
    diff = difflib.unified_diff(
        revision.old_text.splitlines(),
        revision.new_text.splitlines(),
        fromfile=f"version {revision.number - 1}",
        tofile=f"version {revision.number}",
        lineterm="",
        n=1,
    )
    lines = [(_kind(line), line) for line in diff]
    return render(
        request,
        "interviews/revisions.html",
        {
            "study": interview.study,
            "role": role,
            "interview": interview,
            "revision": revision,
            "lines": lines,
        },
    )


def _kind(line: str) -> str:
    if line.startswith(("---", "+++", "@@")):
        return "hunk"
    return {"+": "added", "-": "removed"}.get(line[:1], "same")


def _refusal(problem: Exception) -> str:
    message = str(problem)
    if isinstance(problem, StaleRevision):
        message += (
            ". Your text is kept below: copy your changes, reload the page to get the"
            " current text, and apply them again"
        )
    return message[:1].upper() + message[1:] + "."


def _summary(counts: dict) -> str:
    summary = "Transcript corrected."
    if counts:
        summary += (
            f" Codings: {counts.get('moved', 0)} on their passage,"
            f" {counts.get('changed', 0)} partly changed, {counts.get('lost', 0)} lost."
        )
        if counts.get("changed") or counts.get("lost"):
            summary += " Review the changed and lost ones on the review page."
    return summary
