"""Changes made from the workbench: apply a code, change or delete a coding, undo and redo.

Every view answers an htmx request with the page's status line and an ``HX-Trigger``
event (``codings-changed``) carrying the changed codings as JSON, which the page's
script applies to the highlights; a plain form post gets a message and a redirect.
Offsets arrive in code points: the page's script converts from UTF-16 before sending.
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from codebook import codings
from codebook.codes import add_code
from codebook.codings import CodingRefused
from codebook.models import Code, Coding, Origin
from codebook.passages import PassageRefused, in_vivo_name, move_edge, parse_offset, trim_passage
from interviews.access import interview_for, study_for
from interviews.models import Interview, Role


def _interview_for_coding(request: HttpRequest, slug: str, pk: int) -> Interview:
    interview, _ = interview_for(request, slug, pk, Role.can_code)
    return interview


def _interview_without_text(request: HttpRequest, slug: str, pk: int) -> Interview:
    """Like ``_interview_for_coding``, leaving the transcript's text in the database.

    Only the key columns: SQLite would read through the text's pages to reach any column
    stored after it.
    """
    study, _ = study_for(request, slug, Role.can_code)
    interview = get_object_or_404(Interview.objects.only("study"), study=study, pk=pk)
    interview.study = study
    return interview


def _own_coding(request: HttpRequest, interview: Interview, coding_id: int) -> Coding:
    coding = get_object_or_404(
        Coding.objects.select_related("code"), pk=coding_id, interview=interview
    )
    if coding.coder_id != request.user.pk:
        raise PermissionDenied("You can change only your own codings.")
    return coding


def _code_of(interview: Interview, value: str | None) -> Code:
    try:
        return Code.objects.get(pk=int(value or ""), study_id=interview.study_id)
    except (ValueError, Code.DoesNotExist):
        raise CodingRefused("Choose a code of this study.") from None


def _coding_json(coding: Coding, user) -> dict:
    consensus = coding.origin == Origin.CONSENSUS
    return {
        "id": coding.pk,
        "kind": "coding",
        "code": coding.code_id,
        "coder": coding.coder_id,
        "start": coding.start,
        "end": coding.end,
        "memo": coding.memo,
        "layer": "consensus" if consensus else f"c{coding.coder_id}",
        "mine": coding.coder_id == user.pk and not consensus,
    }


def _code_json(code: Code) -> dict:
    return {
        "id": code.pk,
        "name": code.name,
        "path": code.path,
        "colour": code.colour,
        "shortcut": code.shortcut,
        "parent": code.parent_id,
        "grouping": code.grouping_only,
    }


def _answer(
    request,
    interview,
    message,
    *,
    error=False,
    upsert=(),
    remove=(),
    code=None,
    open_id=None,
    history=None,
):
    """Tell the page what changed: status line plus event for htmx, message plus redirect else.

    ``history`` says how the undo log moved ("push", "undo" or "redo"), so the page can keep
    its undo and redo counts without asking.
    """
    if request.htmx:
        event = {
            "message": message,
            "error": error,
            "upsert": [_coding_json(coding, request.user) for coding in upsert],
            "remove": list(remove),
            "code": _code_json(code) if code else None,
            "history": history,
        }
        response = render(
            request,
            "codebook/workbench.html#status",
            {"status": message, "status_error": error},
        )
        response["HX-Trigger"] = json.dumps({"codings-changed": event})
        return response
    (messages.error if error else messages.success)(request, message)
    url = reverse("workbench", args=[interview.study.slug, interview.pk])
    if open_id:
        url += f"?coding={open_id}"
    return redirect(url)


@require_POST
def coding_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    interview = _interview_without_text(request, slug, pk)
    try:
        code = _code_of(interview, request.POST.get("code"))
        start = parse_offset(request.POST.get("start"), "start")
        end = parse_offset(request.POST.get("end"), "end")
        coding, created = codings.apply_code(interview, request.user, code, start, end)
    except (CodingRefused, PassageRefused) as error:
        return _answer(request, interview, str(error), error=True)
    message = f"Coded with “{code.name}”." if created else f"Already coded with “{code.name}”."
    return _answer(
        request, interview, message, upsert=[coding], history="push" if created else None
    )


@require_POST
def coding_new_code(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Create a code (named after the passage unless a name is given) and apply it at once."""
    interview = _interview_for_coding(request, slug, pk)
    try:
        start = parse_offset(request.POST.get("start"), "start")
        end = parse_offset(request.POST.get("end"), "end")
        start, end = trim_passage(interview.text, start, end)
        name = request.POST.get("name", "").strip() or in_vivo_name(interview.text[start:end])
        parent = None
        if request.POST.get("parent"):
            parent = _code_of(interview, request.POST.get("parent"))
        with transaction.atomic():
            code = add_code(interview.study, request.user, name, parent)
            coding, _ = codings.apply_code(interview, request.user, code, start, end)
    except (CodingRefused, PassageRefused, ValidationError, PermissionDenied) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        return _answer(request, interview, text, error=True)
    return _answer(
        request,
        interview,
        f"New code “{code.name}” applied.",
        upsert=[coding],
        code=code,
        history="push",
    )


@require_POST
def coding_change(request: HttpRequest, slug: str, pk: int, coding_id: int) -> HttpResponse:
    """Change the code, the memo, or move one edge by a word or a sentence."""
    interview = _interview_for_coding(request, slug, pk)
    coding = _own_coding(request, interview, coding_id)
    changes: dict = {}
    try:
        if "code" in request.POST:
            changes["code"] = _code_of(interview, request.POST["code"])
        if "memo" in request.POST:
            changes["memo"] = request.POST["memo"]
        if "edge" in request.POST:
            step = 1 if request.POST.get("step") == "1" else -1
            changes["start"], changes["end"] = move_edge(
                interview.text,
                coding.start,
                coding.end,
                request.POST["edge"],
                request.POST.get("unit", "word"),
                step,
            )
        changed = codings.change_coding(coding, interview, request.user, **changes)
    except (CodingRefused, PassageRefused) as error:
        return _answer(request, interview, str(error), error=True, open_id=coding.pk)
    message = "Coding changed." if changed else "Nothing to change."
    return _answer(
        request,
        interview,
        message,
        upsert=[coding],
        open_id=coding.pk,
        history="push" if changed else None,
    )


@require_POST
def coding_delete(request: HttpRequest, slug: str, pk: int, coding_id: int) -> HttpResponse:
    interview = _interview_for_coding(request, slug, pk)
    coding = _own_coding(request, interview, coding_id)
    name = coding.code.name
    codings.delete_coding(coding, interview, request.user)
    return _answer(
        request,
        interview,
        f"Coding “{name}” deleted (undo brings it back).",
        remove=[coding_id],
        history="push",
    )


@require_POST
def undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _replay(request, slug, pk, codings.undo, "undo", "Undone", "Nothing to undo.")


@require_POST
def redo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _replay(request, slug, pk, codings.redo, "redo", "Redone", "Nothing to redo.")


def _replay(request, slug, pk, replay, way, done, nothing) -> HttpResponse:
    interview = _interview_for_coding(request, slug, pk)
    try:
        action = replay(interview, request.user)
    except CodingRefused as error:
        return _answer(request, interview, str(error), error=True)
    if action is None:
        return _answer(request, interview, nothing)
    coding = Coding.objects.filter(pk=action.coding_id).first()
    if coding is None:
        return _answer(
            request,
            interview,
            f"{done}: coding removed.",
            remove=[action.coding_id],
            history=way,
        )
    return _answer(request, interview, f"{done}.", upsert=[coding], history=way)


@require_POST
def code_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Add a code or sub-code to the codebook from the workbench's sidebar."""
    interview, role = interview_for(request, slug, pk)
    if not role.can_add_codes(interview.study):
        raise PermissionDenied("Your role in this study does not allow adding codes.")
    try:
        parent = None
        if request.POST.get("parent"):
            parent = _code_of(interview, request.POST.get("parent"))
        code = add_code(interview.study, request.user, request.POST.get("name", ""), parent)
    except (CodingRefused, ValidationError) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        return _answer(request, interview, text, error=True)
    return _answer(request, interview, f"Code “{code.name}” added.", code=code)
