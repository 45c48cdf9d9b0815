"""REFI-QDA project and whole-study backup: downloads for a study, uploads for a new one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from codebook.exchange.backup import (
    Backup,
    BackupError,
    iter_backup,
    read_backup,
    restore_study,
)
from codebook.exchange.qdpx import QdpxError, read_qdpx
from codebook.exchange.qdpx_study import stream_study_qdpx, study_from_project
from codebook.forms import BackupUploadForm, QdpxUploadForm
from interviews.access import study_for
from interviews.models import Role


def export_qdpx(request: HttpRequest, slug: str) -> HttpResponse:
    study, _ = study_for(request, slug, Role.can_review)
    # Sent as it is written: a large study's first bytes do not wait for its last codings.
    response = StreamingHttpResponse(stream_study_qdpx(study), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{study.slug}.qdpx"'
    return response


def export_backup(request: HttpRequest, slug: str) -> HttpResponse:
    study, _ = study_for(request, slug, Role.can_manage)
    response = StreamingHttpResponse(iter_backup(study), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{study.slug}-backup.json"'
    return response


def import_qdpx(request: HttpRequest) -> HttpResponse:
    form = QdpxUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = read_qdpx(data["file"], allow_missing_sources=data["allow_missing_sources"])
        except QdpxError as error:
            form.add_error("file", str(error))
        else:
            study, warnings = study_from_project(
                result.project, data["slug"], request.user, data["title"]
            )
            for warning in result.warnings + warnings:
                messages.warning(request, warning)
            messages.success(request, f"Imported “{study.title}”.")
            return redirect(study)
    return render(request, "codebook/import_qdpx.html", {"form": form})


def import_backup(request: HttpRequest) -> HttpResponse:
    form = BackupUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        notes: list[str] = []
        try:
            backup = read_backup(form.cleaned_data["file"])
            _check_owner(backup, request.user.get_username())
            study = restore_study(backup, form.cleaned_data["slug"] or None, notes=notes)
        except BackupError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Restored “{study.title}”.")
            for note in notes:
                messages.warning(request, note)
            return redirect(study)
    return render(request, "codebook/import_backup.html", {"form": form})


def _check_owner(backup: Backup, username: str) -> None:
    """Only an owner recorded in the backup may restore it from the browser."""
    for member in backup.members:
        if member.get("user") == username and member.get("role") == Role.OWNER:
            return
    raise BackupError("Only an owner of the backed-up study may restore it here.")
