"""Export the codebook as CSV or .qdc, and import either with a preview first."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from codebook.codebook_forms import ImportForm
from codebook.exchange.codebook_csv import write_codebook_csv
from codebook.exchange.entries import CodebookFileError
from codebook.exchange.importing import apply_import, plan_import, read_codebook_file
from codebook.exchange.qdc import write_qdc
from codebook.history import snapshot_codebook
from interviews.access import study_for

MAX_BYTES = 5 * 1024 * 1024


def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    study, _ = study_for(request, slug)
    response = HttpResponse(
        write_codebook_csv(snapshot_codebook(study)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{study.slug}-codebook.csv"'
    return response


def export_qdc(request: HttpRequest, slug: str) -> HttpResponse:
    study, _ = study_for(request, slug)
    snapshot = snapshot_codebook(study)
    if not snapshot:
        messages.error(request, "The codebook has no codes yet, so there is nothing to export.")
        return redirect("codebook", slug)
    response = HttpResponse(write_qdc(snapshot), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{study.slug}-codebook.qdc"'
    return response


def import_codebook(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug, lambda role: role.can_reshape_codebook())
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"study": study, "role": role, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            filename, text = _file_text(form)
            entries, warnings = read_codebook_file(filename, text)
            if form.cleaned_data["confirm"]:
                plan = apply_import(study, request.user, entries, filename or "an import")
                messages.success(
                    request,
                    f"Imported {filename}: {plan.count('added')} codes added, "
                    f"{plan.count('changed')} changed.",
                )
                return redirect("codebook", slug)
            plan = plan_import(study, entries)
        except (CodebookFileError, ValidationError) as error:
            problems = getattr(error, "problems", None) or error.messages
            context["problems"] = problems
        else:
            confirm = ImportForm(initial={"content": text, "filename": filename, "confirm": True})
            counts = {status: plan.count(status) for status in ("added", "changed", "same")}
            context.update(plan=plan, counts=counts, warnings=warnings, filename=filename)
            context["confirm_form"] = confirm
    return render(request, "codebook/import.html", context)


def _file_text(form: ImportForm) -> tuple[str, str]:
    upload = form.cleaned_data["file"]
    if upload is None:
        if not form.cleaned_data["content"]:
            raise CodebookFileError("Choose a file to import.")
        return form.cleaned_data["filename"], form.cleaned_data["content"]
    if upload.size > MAX_BYTES:
        raise CodebookFileError("The file is larger than 5 MB; a codebook is much smaller.")
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CodebookFileError("The file is not UTF-8 text.") from error
    # The preview sends the text back in a form field, and form fields refuse NUL.
    if "\x00" in text:
        raise CodebookFileError("The file contains NUL characters: it is not a text codebook.")
    return upload.name, text
