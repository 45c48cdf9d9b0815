"""The codebook's history: a timeline of changes, frozen versions, and comparing two."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from codebook.codebook_forms import VersionForm
from codebook.history import changes_as_shown, freeze_version, snapshot_codebook
from codebook.models import CodebookVersion
from codebook.snapshots import FIELD_LABELS, compare_snapshots, count_statuses
from interviews.access import study_for

CURRENT = "current"


def history(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    changes = study.codebook_changes.select_related("user")
    page = Paginator(changes, 100).get_page(request.GET.get("page"))
    blind = not role.sees_other_coders(study)
    context = {"study": study, "role": role, "page": page}
    context["changes"] = changes_as_shown(page.object_list, blind=blind)
    return render(request, "codebook/history.html", context)


def versions(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    form = VersionForm(request.POST or None)
    if request.method == "POST":
        study, role = study_for(request, slug, lambda role: role.can_reshape_codebook())
        if form.is_valid():
            try:
                version = freeze_version(study, request.user, form.cleaned_data["name"])
            except IntegrityError:
                form.add_error("name", "A version of this codebook already has that name.")
            else:
                messages.success(request, f"Froze the codebook as “{version.name}”.")
                return redirect("codebook-versions", slug)
    listed = study.codebook_versions.select_related("created_by").defer("snapshot")
    context = {"study": study, "role": role, "form": form, "versions": listed}
    return render(request, "codebook/versions.html", context)


def _snapshot(study, key: str):
    if key == CURRENT:
        return "The codebook now", snapshot_codebook(study)
    # Only ASCII digits: str.isdigit() also takes "²", which int() refuses.
    number = key if key.isascii() and key.isdigit() else 0
    version = get_object_or_404(CodebookVersion, study=study, pk=number)
    return version.name, version.snapshot


def compare(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    older_key = request.GET.get("older", "")
    newer_key = request.GET.get("newer", CURRENT)
    choices = list(study.codebook_versions.values_list("pk", "name"))
    if not older_key:
        return render(
            request,
            "codebook/version_compare.html",
            {"study": study, "role": role, "choices": choices, "rows": None},
        )
    older_name, older = _snapshot(study, older_key)
    newer_name, newer = _snapshot(study, newer_key)
    rows = compare_snapshots(older, newer)
    context = {
        "study": study,
        "role": role,
        "choices": choices,
        "rows": rows,
        "counts": count_statuses(rows),
        "older_name": older_name,
        "newer_name": newer_name,
        "older_key": older_key,
        "newer_key": newer_key,
        "labels": FIELD_LABELS,
    }
    return render(request, "codebook/version_compare.html", context)
