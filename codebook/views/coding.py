"""Changes made from the workbench: apply a code, change or delete a coding, undo and redo.

Every view answers an htmx request with the page's status line, which carries the
changed codings as JSON in its ``data-change`` (the page's script raises them as a
``codings-changed`` event and applies them to the highlights); a plain form post gets a
message and a redirect. Not in an ``HX-Trigger`` header: a header grows with the memos
and the number of codings, and browsers (and proxies such as nginx) refuse a response
whose headers pass a few kilobytes, although the change was saved.
Offsets arrive in code points: the page's script converts from UTF-16 before sending.
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from codebook import codings
from codebook.codes import add_code
from codebook.codings import CodingRefused, StepDropped
from codebook.models import AnchorStatus, Code, Coding, Origin
from codebook.page_revision import sent_revision
from codebook.passages import PassageRefused, in_vivo_name, move_edge, parse_offset, trim_passage
from interviews.access import interview_for
from interviews.models import Interview, Membership, Role, Study

# Numbers beyond this are not sent to the database (SQLite's integers stop at 2**63): an
# id that large matches nothing, an offset that large is judged by ``apply_code``.
LARGEST = 2**62


def _interview_for_coding(request: HttpRequest, slug: str, pk: int) -> Interview:
    interview, _ = interview_for(request, slug, pk, Role.can_code)
    return interview


def _columns(model, alias: str) -> str:
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def _from_row(model, values):
    """Build an instance from a raw row, with the conversions the ORM would apply."""
    fields = model._meta.concrete_fields
    converted = []
    for field, value in zip(fields, values, strict=True):
        column = field.get_col(model._meta.db_table)
        for convert in connection.ops.get_db_converters(column) + field.get_db_converters(
            connection
        ):
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [field.attname for field in fields], converted)


def _coding_context(
    request: HttpRequest, slug: str, pk: int, code_value: str | None, start, end
) -> tuple[Interview, Code | None, str | None]:
    """Check access and read what applying a code needs, in one query.

    Gives the interview (its key columns only: SQLite would read through the text's pages
    to reach any column stored after it), the code if it is one of this study's, and, when
    the offsets are usable, the stored text of ``[start, end)`` (else None, and
    ``apply_code`` reads it itself). Answers as ``interview_for`` does: 404 for
    non-members, 403 for roles that may not code, 404 for an interview of another study.
    The ORM would spend more time building these queries than the database answering them.
    """
    try:
        code_id = int(code_value or "")
    except ValueError:
        code_id = 0
    code_id = code_id if 0 < code_id <= LARGEST else 0
    readable = start is not None and end is not None and 0 <= start < end <= LARGEST
    first, length = (start + 1, end - start) if readable else (1, 0)
    study_columns, code_columns = _columns(Study, "s"), _columns(Code, "c")
    quote = connection.ops.quote_name
    interviews = quote(Interview._meta.db_table)
    sql = (
        f"SELECT m.role, {study_columns}, "
        f"(SELECT i.id FROM {interviews} i WHERE i.id = %s AND i.study_id = s.id), "
        f"(SELECT SUBSTR(i.{quote('text')}, %s, %s) FROM {interviews} i "
        "WHERE i.id = %s AND i.study_id = s.id), "
        f"{code_columns} "
        f"FROM {quote(Membership._meta.db_table)} m "
        f"INNER JOIN {quote(Study._meta.db_table)} s ON s.id = m.study_id "
        f"LEFT OUTER JOIN {quote(Code._meta.db_table)} c ON c.id = %s AND c.study_id = s.id "
        "WHERE s.slug = %s AND m.user_id = %s"
    )
    pk = pk if pk <= LARGEST else 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, first, length, pk, code_id, slug, request.user.pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such study.")
    if not Role(row[0]).can_code():
        raise PermissionDenied("Your role in this study does not allow this.")
    study_end = 1 + len(Study._meta.concrete_fields)
    study = _from_row(Study, row[1:study_end])
    interview_id, passage = row[study_end], row[study_end + 1]
    if interview_id is None:
        raise Http404("No such interview.")
    interview = Interview.from_db(connection.alias, ["id", "study_id"], [interview_id, study.pk])
    interview.study = study
    code_row = row[study_end + 2 :]
    code = _from_row(Code, code_row) if code_row[0] is not None else None
    return interview, code, (passage or "") if readable else None


class CodingGone(CodingRefused):
    """The coding a page asked to change no longer exists."""


GONE = (
    "This coding no longer exists: it was deleted meanwhile (in another tab, or by an undo). "
    "Nothing was saved; copy your memo if you typed one, then reload the page."
)
LOST = (
    "A correction of the transcript deleted this coding's words: re-attach or delete it "
    "on the review page (Review anchors), not here. Nothing was changed."
)


def _own_coding(request: HttpRequest, interview: Interview, role: Role, coding_id: int) -> Coding:
    """Return the coder's coding, or refuse with a message the page shows (CodingRefused).

    A deleted coding gets a message, not a 404 page that would replace the workbench
    and the memo typed in it. Whose it was cannot be known, so the message says only
    that it is gone; an existing coding of another coder is still refused (403), but
    to a coder kept blind it is as unknown as a deleted one: a 403 would tell them
    that another coder coded here.
    """
    coding = None
    if coding_id <= LARGEST:
        coding = (
            Coding.objects.select_related("code").filter(pk=coding_id, interview=interview).first()
        )
    hidden = coding is not None and coding.coder_id != request.user.pk
    if coding is None or (hidden and not role.sees_other_coders(interview.study)):
        raise CodingGone(GONE)
    if coding.coder_id != request.user.pk:
        raise PermissionDenied("You can change only your own codings.")
    if coding.anchor_status == AnchorStatus.LOST:
        # The workbench does not show it: it sits on a placeholder span.
        raise CodingRefused(LOST)
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
    suggestions=False,
):
    """Tell the page what changed: status line plus event for htmx, message plus redirect else.

    ``history`` says how the undo log moved ("push", "undo" or "redo"), so the page can keep
    its undo and redo counts without asking; after a step was dropped it is the counts
    themselves (``{"undo": n, "redo": m}``). ``suggestions``: the change may have reopened
    or closed suggestions, so the page's list of them is fetched again.
    """
    if request.htmx:
        event = {
            "message": message,
            "error": error,
            "upsert": [_coding_json(coding, request.user) for coding in upsert],
            "remove": list(remove),
            "code": _code_json(code) if code else None,
            "history": history,
            "suggestions": suggestions,
        }
        return render(
            request,
            "codebook/workbench.html#status",
            {"status": message, "status_error": error, "change": json.dumps(event)},
        )
    (messages.error if error else messages.success)(request, message)
    url = reverse("workbench", args=[interview.study.slug, interview.pk])
    if open_id:
        url += f"?coding={open_id}"
    return redirect(url)


@require_POST
def coding_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # The offsets are read first so that one query brings the passage with the interview
    # and the code; a refused offset is still reported after a refused code, as before.
    try:
        start = parse_offset(request.POST.get("start"), "start")
        end = parse_offset(request.POST.get("end"), "end")
        revision = sent_revision(request.POST)
        refused = None
    except PassageRefused as error:
        start = end = revision = None
        refused = error
    interview, code, passage = _coding_context(
        request, slug, pk, request.POST.get("code"), start, end
    )
    try:
        if code is None:
            raise CodingRefused("Choose a code of this study.")
        if refused is not None:
            raise refused
        coding, created = codings.apply_code(
            interview, request.user, code, start, end, passage=passage, revision=revision
        )
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
        revision = sent_revision(request.POST)
        start, end = trim_passage(interview.text, start, end)
        name = request.POST.get("name", "").strip() or in_vivo_name(interview.text[start:end])
        parent = None
        if request.POST.get("parent"):
            parent = _code_of(interview, request.POST.get("parent"))
        with transaction.atomic():
            code = add_code(interview.study, request.user, name, parent)
            coding, _ = codings.apply_code(
                interview, request.user, code, start, end, revision=revision
            )
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
    interview, role = interview_for(request, slug, pk, Role.can_code)
    changes: dict = {}
    try:
        coding = _own_coding(request, interview, role, coding_id)
        revision = sent_revision(request.POST)
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
                interview.spoken_spans(),
            )
        changed = codings.change_coding(coding, interview, request.user, revision, **changes)
    except (CodingRefused, PassageRefused) as error:
        # No ``upsert``: the panel is not drawn again, so a memo typed there stays.
        return _answer(request, interview, str(error), error=True, open_id=coding_id)
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
    interview, role = interview_for(request, slug, pk, Role.can_code)
    try:
        coding = _own_coding(request, interview, role, coding_id)
        name = coding.code.name
        codings.delete_coding(coding, interview, request.user, sent_revision(request.POST))
    except CodingGone:
        message = "This coding was already deleted (in another tab, or by an undo)."
        return _answer(request, interview, message, remove=[coding_id])
    except (CodingRefused, PassageRefused) as error:
        return _answer(request, interview, str(error), error=True, open_id=coding_id)
    return _answer(
        request,
        interview,
        f"Coding “{name}” deleted (undo brings it back).",
        remove=[coding_id],
        history="push",
        suggestions=True,
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
        actions = replay(interview, request.user, sent_revision(request.POST))
    except StepDropped as error:
        # The page counts steps itself; after a drop it gets the counts as they are.
        depth = codings.history_depth(interview, request.user)
        return _answer(request, interview, str(error), error=True, history=depth)
    except (CodingRefused, PassageRefused) as error:
        return _answer(request, interview, str(error), error=True)
    if not actions:
        # Another tab may have moved the log: the page's counts are set to what it holds.
        depth = codings.history_depth(interview, request.user)
        return _answer(request, interview, nothing, history=depth)
    ids = list(dict.fromkeys(action.coding_id for action in actions))
    found = {coding.pk: coding for coding in Coding.objects.filter(pk__in=ids)}
    # A lost coding is back, but not on the workbench: it has no passage to show.
    shown = [
        found[pk] for pk in ids if pk in found and found[pk].anchor_status != AnchorStatus.LOST
    ]
    remove = [pk for pk in ids if pk not in found or found[pk].anchor_status == AnchorStatus.LOST]
    if len(ids) > 1:
        message = f"{done}: {len(ids)} codings."
    elif remove and remove[0] in found:
        message = f"{done}: the coding is back among those to review (Review anchors)."
    elif remove:
        message = f"{done}: coding removed."
    else:
        message = f"{done}."
    return _answer(
        request, interview, message, upsert=shown, remove=remove, history=way, suggestions=True
    )


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
