"""The codebook page: the tree with counts, one code's entry, adding codes, open coding."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from codebook import tree
from codebook.codebook_forms import AddCodeForm, CodeEntryForm, MoveForm
from codebook.counts import count_codings
from codebook.history import changes_as_shown, entry_of
from codebook.models import Code
from codebook.snapshots import FIELD_LABELS, build_paths, order_tree
from interviews.access import study_for
from interviews.models import Role


def _reshaper(role: Role) -> bool:
    return role.can_reshape_codebook()


def tree_rows(study, user, role, counted: bool = True) -> list[dict]:
    """Return the codebook in tree order with paths and counts (two queries).

    ``counted=False`` leaves the counts at zero (one query): forms that list the codes
    as choices need no counts, and counting a large study's codings takes a while.
    """
    codes = list(Code.objects.filter(study=study))
    paths = build_paths({code.pk: (code.name, code.parent_id) for code in codes})
    counts = count_codings(study, user, role) if counted else {}
    empty = {"codings": 0, "interviews": 0, "coders": 0}
    seen: dict[int | None, int] = {}
    rows = []
    for code, depth in order_tree(codes):
        index = seen[code.parent_id] = seen.get(code.parent_id, -1) + 1
        counted = counts.get(code.pk, empty)
        rows.append(
            {
                "code": code,
                "depth": depth,
                "path": paths[code.pk],
                "counts": counted,
                "index": index,
            }
        )
    return rows


def code_for(request: HttpRequest, slug: str, pk: int, allowed=None):
    """Return (study, role, code) for a code of the study in the URL."""
    study, role = study_for(request, slug, allowed)
    code = get_object_or_404(Code, study=study, pk=pk)
    return study, role, code


def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    rows = tree_rows(study, request.user, role)
    context = {
        "study": study,
        "role": role,
        "rows": rows,
        "focus": request.GET.get("focus", ""),
        "can_add": role.can_add_codes(study),
    }
    template = "codebook/codebook.html#code-tree" if request.htmx else "codebook/codebook.html"
    return render(request, template, context)


def code_add(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    if not role.can_add_codes(study):
        raise PermissionDenied("Your role in this study does not allow adding codes.")
    rows = tree_rows(study, request.user, role, counted=False)
    form = AddCodeForm(request.POST or None, parents=[(r["code"].pk, r["path"]) for r in rows])
    if request.method == "POST" and form.is_valid():
        parent = Code.objects.filter(study=study, pk=form.cleaned_data["parent"]).first()
        entry = {k: form.cleaned_data[k] for k in ("colour", "grouping_only")}
        try:
            code = tree.add_code(study, request.user, form.cleaned_data["name"], parent, **entry)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Added “{code.name}”.")
            return redirect(reverse("codebook", args=[slug]) + f"?focus={code.pk}")
    return render(request, "codebook/code_add.html", {"study": study, "role": role, "form": form})


def code_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    study, role, code = code_for(request, slug, pk)
    conflict = saved = None
    if request.method == "POST":
        if not _reshaper(role):
            raise PermissionDenied("Your role in this study does not allow editing codes.")
        form = CodeEntryForm(request.POST)
        if form.is_valid():
            try:
                code = tree.edit_code(
                    code, request.user, form.cleaned_data["version"], **form.entry()
                )
            except tree.EditConflict as error:
                code, conflict = error.current, _conflict_rows(form.entry(), error.current)
                form = CodeEntryForm({**form.entry(), "version": code.version})
            except ValidationError as error:
                form.add_error(None, error)
            else:
                saved = f"Saved “{code.name}”."
                if not request.htmx:
                    messages.success(request, saved)
                    return redirect("codebook-code", slug, code.pk)
                # The page keeps only this form from the answer: a message queued for the
                # next page would show up there, out of place, and never here.
                form = CodeEntryForm(initial={**entry_of(code), "version": code.version})
    else:
        form = CodeEntryForm(initial={**entry_of(code), "version": code.version})
    rows = tree_rows(study, request.user, role, counted=False)
    row = next(row for row in rows if row["code"].pk == code.pk)
    row["counts"] = count_codings(study, request.user, role, code=code).get(code.pk, row["counts"])
    context = {
        "study": study,
        "role": role,
        "code": code,
        "row": row,
        "form": form,
        "conflict": conflict,
        "saved": saved,
        "move_form": MoveForm(parents=_move_targets(rows, code)),
        "changes": changes_as_shown(
            code.changes.select_related("user")[:50], blind=not role.sees_other_coders(study)
        ),
    }
    template = "codebook/code.html#entry-form" if request.htmx else "codebook/code.html"
    return render(request, template, context)


def _conflict_rows(mine: dict, current: Code) -> list[dict]:
    stored = entry_of(current)
    return [
        {"label": FIELD_LABELS[name], "mine": mine[name], "theirs": stored[name]}
        for name in stored
        if mine.get(name) != stored[name]
    ]


def _move_targets(rows: list[dict], code: Code) -> list[tuple[int, str]]:
    inside = code_path = next(row["path"] for row in rows if row["code"].pk == code.pk)
    return [
        (row["code"].pk, row["path"])
        for row in rows
        if row["path"] != inside and not row["path"].startswith(code_path + "/")
    ]


@require_POST
def open_coding(request: HttpRequest, slug: str) -> HttpResponse:
    study, _ = study_for(request, slug, lambda role: role.can_manage())
    study.open_coding = request.POST.get("open_coding") == "on"
    study.save(update_fields=["open_coding"])
    state = "may now add codes" if study.open_coding else "may no longer add codes"
    messages.success(request, f"Coders {state}.")
    return redirect("codebook", slug)
