"""Downloads of a study's coded data: coded-segment CSV, code × interview matrix."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from codebook.exchange.coding_rows import attribute_names, coding_rows, matrix_counts
from codebook.exchange.codings_csv import stream_codings_csv, stream_matrix_csv
from codebook.forms import ExportFilterForm
from codebook.history import code_paths
from codebook.selection import filter_codings
from interviews.access import study_for


def _csv_download(chunks, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filtered(request: HttpRequest, slug: str):
    study, role = study_for(request, slug)
    form = ExportFilterForm(request.GET or None, study=study, role=role, user=request.user)
    return study, role, form


def export_page(request: HttpRequest, slug: str) -> HttpResponse:
    study, role, form = _filtered(request, slug)
    return render(request, "codebook/export.html", {"study": study, "role": role, "form": form})


def export_codings(request: HttpRequest, slug: str) -> HttpResponse:
    study, role, form = _filtered(request, slug)
    if request.GET and not form.is_valid():
        context = {"study": study, "role": role, "form": form}
        return render(request, "codebook/export.html", context, status=400)
    filters = form.filters() if form.is_bound else {}
    codings = filter_codings(study, request.user, role, **filters)
    names = attribute_names(study)
    excel = form.is_bound and form.cleaned_data["excel"]
    rows = coding_rows(study, codings, names, excel=excel)
    chunks = stream_codings_csv(rows, names, excel=excel)
    return _csv_download(chunks, f"{study.slug}-codings{'-excel' if excel else ''}.csv")


def export_matrix(request: HttpRequest, slug: str) -> HttpResponse:
    study, role, form = _filtered(request, slug)
    if request.GET and not form.is_valid():
        context = {"study": study, "role": role, "form": form}
        return render(request, "codebook/export.html", context, status=400)
    filters = form.filters() if form.is_bound else {}
    codings = filter_codings(study, request.user, role, **filters)
    paths = sorted(code_paths(study).items(), key=lambda item: item[1].casefold())
    interviews = list(study.interviews.values_list("pk", "title"))
    excel = form.is_bound and form.cleaned_data["excel"]
    chunks = stream_matrix_csv(paths, interviews, matrix_counts(codings), excel=excel)
    return _csv_download(chunks, f"{study.slug}-code-by-interview.csv")
