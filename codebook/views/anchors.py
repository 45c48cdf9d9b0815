"""Review codings whose passage a transcript correction changed or deleted."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from codebook import codings, reviewing
from codebook.models import Code, Coding
from codebook.page_revision import sent_revision
from codebook.passages import PassageRefused
from interviews.access import study_for
from interviews.models import Interview, Role
from interviews.text import utf16_to_codepoint

CONTEXT = 60
UNDO_HINT = " Undo on the interview's page puts it back as it was."


def _review_study_for(request: HttpRequest, slug: str):
    return study_for(request, slug, Role.can_code)


def _codings_for(study, role, user):
    codings = (
        Coding.objects.to_review()
        .filter(interview__study=study)
        .select_related("interview", "code", "coder")
        .defer("interview__text")
        .order_by("interview__position", "interview__title", "start", "pk")
    )
    # Coders settle their own codings; supervisors settle everyone's.
    return codings if role.can_review() else codings.filter(coder=user)


def review(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = _review_study_for(request, slug)
    codings = list(_codings_for(study, role, request.user))
    for coding in codings:
        coding.interview.study = study  # each item links to its interview, by the study's slug
    texts = dict(
        Interview.objects.filter(pk__in={c.interview_id for c in codings}).values_list("pk", "text")
    )
    codes_by_id = {code.pk: code for code in Code.objects.filter(study=study)}
    items = [_item(coding, texts[coding.interview_id], codes_by_id) for coding in codings]
    return render(
        request, "codebook/review_anchors.html", {"study": study, "role": role, "items": items}
    )


def choose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Show the whole transcript so a new passage can be selected for one coding."""
    study, role = _review_study_for(request, slug)
    coding = _coding_to_settle(request, study, role, pk)
    codes_by_id = {code.pk: code for code in Code.objects.filter(study=study)}
    return render(
        request,
        "codebook/reattach.html",
        {
            "study": study,
            "role": role,
            "coding": coding,
            "code_path": coding.code.path_in(codes_by_id),
            "text": coding.interview.text,
        },
    )


def _coding_to_settle(request, study, role, pk: int) -> Coding:
    coding = get_object_or_404(
        Coding.objects.to_review().select_related("interview", "code", "coder"),
        interview__study=study,
        pk=pk,
    )
    if coding.coder_id != request.user.pk and not role.can_review():
        if not role.sees_other_coders(study):
            # A coder kept blind must not learn that another coder's coding exists.
            raise Http404("No such coding to review.")
        raise PermissionDenied("Only its coder or a supervisor can settle this coding.")
    return coding


@require_POST
def settle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept, re-attach or delete one changed or lost coding."""
    study, role = _review_study_for(request, slug)
    coding = _coding_to_settle(request, study, role, pk)
    action = request.POST.get("action")
    done, error = "", ""
    try:
        if action == "delete":
            done = _delete(request, coding)
        elif action == "accept":
            undoable = reviewing.accept(coding, by=request.user)
            done = "Coding kept on its changed passage." + (UNDO_HINT if undoable else "")
        elif action == "reattach":
            start, end, revision = _new_passage(coding, request.POST)
            undoable = reviewing.reattach(coding, start, end, revision, by=request.user)
            done = f"Coding re-attached to “{coding.quote[:80]}”."
            done += UNDO_HINT if undoable else ""
        else:
            error = "Unknown action."
    except reviewing.CannotReattach as problem:
        error = str(problem)[:1].upper() + str(problem)[1:] + "."
    except PassageRefused as problem:  # a message for the user already
        error = str(problem)
    if error and action != "delete":
        coding.refresh_from_db()  # show it as stored, not at the passage refused
    if request.htmx:
        codes_by_id = {code.pk: code for code in Code.objects.filter(study=study)}
        item = _item(coding, coding.interview.text, codes_by_id, error=error, done=done)
        return render(
            request,
            "codebook/review_anchors.html#item",
            {"study": study, "role": role, "item": item},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("review-anchors", slug=study.slug)


def _delete(request: HttpRequest, coding: Coding) -> str:
    """Delete the coding; its own coder can undo that on the interview's page."""
    if coding.coder_id != request.user.pk:
        # A supervisor's deletion of someone else's coding has no undo log to go in:
        # the log is each coder's own, and the coding would come back to the other coder.
        with transaction.atomic():
            coding.delete()
        return "Coding deleted."
    codings.delete_coding(coding, coding.interview, request.user)
    return "Coding deleted; Undo on the interview's page brings it back."


def _new_passage(coding: Coding, post) -> tuple[int, int, int | None]:
    """Read the new passage: a browser selection (UTF-16), offsets (code points) or words.

    Returns ``(start, end, revision)``: offsets belong to the text the page showed, so they
    come with the revision it sent; words are found in the text as it is now (None).
    """
    text = coding.interview.text
    if post.get("start_utf16", "").strip():
        try:
            start, end = int(post["start_utf16"]), int(post["end_utf16"])
        except (KeyError, ValueError):
            raise reviewing.CannotReattach("the selection could not be read") from None
        start, end = utf16_to_codepoint(text, start), utf16_to_codepoint(text, end)
        return start, end, sent_revision(post)
    if post.get("start", "").strip() or post.get("end", "").strip():
        try:
            start, end = int(post["start"]), int(post["end"])
        except (KeyError, ValueError):
            raise reviewing.CannotReattach("start and end must be whole numbers") from None
        return start, end, sent_revision(post)
    start, end = reviewing.find_passage(coding.interview.text, post.get("passage", ""))
    return start, end, None


def _item(coding: Coding, text: str, codes_by_id: dict, error: str = "", done: str = "") -> dict:
    return {
        "coding": coding,
        "code_path": coding.code.path_in(codes_by_id) if coding.code_id in codes_by_id else "",
        "before": text[max(0, coding.start - CONTEXT) : coding.start],
        "after": text[coding.end : coding.end + CONTEXT],
        "error": error,
        "done": done,
    }
