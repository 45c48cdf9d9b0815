"""Reshape the tree: move, reorder, merge, split and delete codes, with confirmation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from codebook import tree
from codebook.codebook_forms import MergeForm, MoveForm, SplitForm
from codebook.counts import visible_codings
from codebook.models import Code
from codebook.views.codebook_page import _move_targets, code_for, tree_rows


def _reshaper(role) -> bool:
    return role.can_reshape_codebook()


def _back_to_tree(request: HttpRequest, slug: str, code: Code) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("codebook", args=[slug]) + f"?focus={code.pk}"
    return redirect(target)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
def code_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    study, role, code = code_for(request, slug, pk, _reshaper)
    rows = tree_rows(study, request.user, role, counted=False)
    form = MoveForm(request.POST, parents=_move_targets(rows, code))
    code, refusals = _move(code, request.user, form)
    if request.htmx:
        # Alt+→/← on the tree: it is swapped, and the page's live region outside it says this.
        rows = tree_rows(study, request.user, role)
        said = " ".join(refusals) or _parent_said(rows, code)
        context = {"study": study, "role": role, "rows": rows, "focus": code.pk, "said": said}
        return render(request, "codebook/codebook.html#code-tree", context)
    for message in refusals:
        messages.error(request, message)
    if form.errors:
        return redirect("codebook-code", slug, code.pk)
    if not refusals:
        messages.success(request, f"Moved “{code.name}”: now “{code.path}”.")
    return _back_to_tree(request, slug, code)


def _move(code: Code, user, form: MoveForm) -> tuple[Code, list[str]]:
    """Move a code where the form says; return it and why it stayed, if it did."""
    if not form.is_valid():
        reasons = {
            "parent": "Choose a parent the code can move under.",
            "place": "Give its place as a whole number from 1, or leave it empty.",
        }
        return code, [reason for field, reason in reasons.items() if field in form.errors]
    parent = Code.objects.filter(study_id=code.study_id, pk=form.cleaned_data["parent"]).first()
    place = form.cleaned_data["place"]
    try:
        return tree.move_code(code, user, parent, place - 1 if place else -1), []
    except ValidationError as error:
        return code, error.messages


@require_POST
def code_reorder(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    study, role, code = code_for(request, slug, pk, _reshaper)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    before = _siblings(code)
    code = tree.reorder_code(code, request.user, -1 if direction == "up" else 1)
    rows = tree_rows(study, request.user, role)
    said = _place_said(rows, code, direction if _siblings(code) != before else "")
    if request.htmx:
        # The tree is swapped; the page's live region outside it says this.
        context = {"study": study, "role": role, "rows": rows, "focus": code.pk, "said": said}
        return render(request, "codebook/codebook.html#code-tree", context)
    messages.success(request, said)
    return _back_to_tree(request, slug, code)


def _siblings(code: Code) -> list[int]:
    return list(
        Code.objects.filter(study_id=code.study_id, parent_id=code.parent_id)
        .order_by("position", Lower("name"))
        .values_list("pk", flat=True)
    )


def _parent_said(rows: list[dict], code: Code) -> str:
    """Say where a moved code now is: "“X” is now under “Y”, 2 of 3."."""
    index, count, parent = _place(rows, code)
    where = f"under “{parent}”" if parent else "at the top level"
    return f"“{code.name}” is now {where}, {index + 1} of {count}."


def _place(rows: list[dict], code: Code) -> tuple[int, int, str | None]:
    """Return a code's index among its siblings, their number and its parent's name."""
    index = next(row["index"] for row in rows if row["code"].pk == code.pk)
    count = sum(1 for row in rows if row["code"].parent_id == code.parent_id)
    parent = next((row["code"].name for row in rows if row["code"].pk == code.parent_id), None)
    return index, count, parent


def _place_said(rows: list[dict], code: Code, moved: str) -> str:
    """Say where a reordered code now is: "“X” moved up: now 1 of 3 under “Y”."."""
    index, count, parent = _place(rows, code)
    where = f"under “{parent}”" if parent else "at the top level"
    if moved:
        return f"“{code.name}” moved {moved}: now {index + 1} of {count} {where}."
    return f"“{code.name}” stays {index + 1} of {count} {where}."


def code_merge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    study, role, source = code_for(request, slug, pk, _reshaper)
    rows = tree_rows(study, request.user, role, counted=False)
    targets = [(r["code"].pk, r["path"]) for r in rows if r["code"].pk != source.pk]
    form = MergeForm(request.POST or None, targets=targets)
    preview = None
    if request.method == "POST" and form.is_valid():
        target = Code.objects.get(study=study, pk=form.cleaned_data["target"])
        try:
            if form.cleaned_data["confirm"]:
                counts = tree.merge_codes(source, target, request.user)
                messages.success(
                    request,
                    f"Merged “{source.name}” into “{target.name}”: {counts.codings} codings moved, "
                    f"{counts.duplicates} duplicates joined.",
                )
                return redirect("codebook-code", slug, target.pk)
            preview = {"target": target, "counts": tree.preview_merge(source, target)}
        except ValidationError as error:
            form.add_error(None, error)
    context = {"study": study, "role": role, "code": source, "form": form, "preview": preview}
    context["path"] = next(r["path"] for r in rows if r["code"].pk == source.pk)
    return render(request, "codebook/code_merge.html", context)


def code_split(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    study, role, source = code_for(request, slug, pk, _reshaper)
    rows = tree_rows(study, request.user, role, counted=False)
    codings = list(
        visible_codings(study, request.user, role)
        .filter(code=source)
        .select_related("interview", "coder")
        .defer("interview__text")  # a busy code's codings name every transcript
    )
    targets = [
        (r["code"].pk, r["path"])
        for r in rows
        if r["code"].pk != source.pk and not r["code"].grouping_only
    ]
    form = SplitForm(request.POST or None, codings=[(c.pk, c.pk) for c in codings], targets=targets)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = Code.objects.filter(study=study, pk=data["target"]).first()
        if data["confirm"]:
            try:
                target, moved = tree.split_code(
                    source, request.user, data["codings"], target, data["new_name"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Moved {moved} codings to “{target.name}”.")
                return redirect("codebook-code", slug, source.pk)
        else:
            preview = {
                "count": len(data["codings"]),
                "target": target,
                "new_name": data["new_name"],
            }
    chosen = {str(value) for value in form["codings"].value() or []}
    context = {
        "study": study,
        "role": role,
        "code": source,
        "form": form,
        "codings": codings,
        "chosen": chosen,
        "preview": preview,
    }
    return render(request, "codebook/code_split.html", context)


def code_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    study, role, code = code_for(request, slug, pk, _reshaper)
    if request.method == "POST":
        try:
            tree.delete_code(code, request.user)
        except ValidationError as error:
            _errors(request, error)
            return redirect("codebook-code", slug, code.pk)
        messages.success(request, f"Deleted “{code.name}”.")
        return redirect("codebook", slug)
    context = {
        "study": study,
        "role": role,
        "code": code,
        "codings": code.codings.count(),
        "children": code.children.count(),
    }
    return render(request, "codebook/code_delete.html", context)
