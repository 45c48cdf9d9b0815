"""Matrices and charts: code × interview, code × attribute value, and code co-occurrence."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from codebook.analysis.charts import draw_bar_chart, draw_heat_map, heat_level, table_row
from codebook.analysis.forms import CompareForm
from codebook.analysis.matrices import (
    NO_VALUE,
    attribute_matrix,
    attribute_names,
    code_colours,
    cooccurrence_matrix,
    interview_matrix,
    matrix_csv_rows,
)
from codebook.exchange.codings_csv import neutralise_formula, stream_csv
from codebook.selection import OVERLAP, filter_codings
from interviews.access import study_for


def _compare_form(request: HttpRequest, slug: str):
    study, role = study_for(request, slug)
    names = attribute_names(study)
    form = CompareForm(
        request.GET or None, study=study, role=role, user=request.user, attribute_names=names
    )
    valid = form.is_valid() if form.is_bound else True
    codings_filters = form.filters() if valid else {}
    return study, role, form, valid, codings_filters


def _csv(rows, filename: str) -> StreamingHttpResponse:
    safe = ([neutralise_formula(cell) for cell in row] for row in rows)
    response = StreamingHttpResponse(stream_csv(next(safe), safe), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _segment_links(study, filters: dict) -> Callable[..., str]:
    """Return a function that links ``**params`` (and ``filters``) to the retrieval page.

    The parts every cell shares are built once: a 150-code co-occurrence table has
    22,500 cells, and building each address whole took two seconds.
    """
    start = reverse("retrieval", args=[study.slug]) + "?exact=on&"
    common = [("coder", user.pk) for user in filters.get("coders") or ()]
    if filters.get("layer"):
        common.append(("layer", filters["layer"]))
    end = "&" + urlencode(common) if common else ""
    return lambda **params: start + urlencode(params) + end


def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    study, role, form, valid, filters = _compare_form(request, slug)
    codings = filter_codings(study, request.user, role, **filters)
    by = form.cleaned_data.get("by", "") if valid and form.is_bound else ""
    table = attribute_matrix(study, codings, by) if by else interview_matrix(study, codings)
    if request.GET.get("format") == "csv":
        name = f"{study.slug}-code-by-{'attribute' if by else 'interview'}.csv"
        return _csv(matrix_csv_rows(table, with_shares=True), name)
    highest = table.highest
    cells_by_code = table.table()
    link_to = _segment_links(study, filters)
    rows = []
    for code, path, cells in cells_by_code:
        drawn = []
        for key, count, share in cells:
            where = {"attribute": f"{by}={key}"} if by else {"interview": key}
            link = None
            if count and not (by and key == NO_VALUE):
                link = link_to(code=code, **where)
            share_text = f"{100 * share:.1f} %" if share is not None else ""
            drawn.append((count, share_text, heat_level(count, highest), link))
        rows.append((path, drawn, sum(cell[0] for cell in drawn)))
    body = "".join(
        table_row(
            path,
            ((count, f"heat-{level}", link, f"{share} of words" if share else "")
             for count, share, level, link in drawn),
            f'<td class="number">{total}</td>',
        )
        for path, drawn, total in rows
    )  # fmt: skip
    colours = code_colours(study)
    charts = []
    for index, (_, label) in enumerate(table.columns):
        bars = [(path, cells[index][1]) for code, path, cells in cells_by_code if cells[index][1]]
        fills = [colours[code] for code, _, cells in cells_by_code if cells[index][1]]
        title = f"Codings per code in {label}"
        charts.append((label, draw_bar_chart(f"chart-{index}", title, bars, fills)))
    context = {
        "study": study,
        "role": role,
        "form": form,
        "by": by,
        "columns": table.columns,
        "rows": rows,
        "body": mark_safe(body),  # noqa: S308 - table_row escapes every text
        "charts": charts,
        "csv_query": urlencode([*request.GET.lists(), ("format", "csv")], doseq=True),
    }
    return render(request, "codebook/matrix.html", context)


def cooccurrence(request: HttpRequest, slug: str) -> HttpResponse:
    study, role, form, valid, filters = _compare_form(request, slug)
    codings = filter_codings(study, request.user, role, **filters)
    proximity = (form.cleaned_data.get("proximity") if valid and form.is_bound else "") or OVERLAP
    table = cooccurrence_matrix(study, codings, proximity)
    if request.GET.get("format") == "csv":
        return _csv(matrix_csv_rows(table, with_shares=False), f"{study.slug}-co-occurrence.csv")
    highest = max((n for (a, b), n in table.counts.items() if a != b), default=0)
    link_to = _segment_links(study, filters)
    rows = []
    for code, path, cells in table.table():
        drawn = []
        for other, count, _ in cells:
            link = None
            if count and other != code:
                link = link_to(code=code, with_code=other, proximity=proximity)
            elif count:
                link = link_to(code=code)
            level = heat_level(count, highest) if other != code else 0
            drawn.append((count, other == code, level, link))
        rows.append((path, drawn))
    body = "".join(
        table_row(
            f"{number}: {path}",
            ((count, f"heat-{level} diagonal" if diagonal else f"heat-{level}", link, "")
             for count, diagonal, level, link in drawn),
        )
        for number, (path, drawn) in enumerate(rows, start=1)
    )  # fmt: skip
    labels = [path for _, path in table.rows]
    values = [[count for _, count, _ in cells] for _, _, cells in table.table()]
    where = "the same speaker turn" if proximity != OVERLAP else "overlapping passages"
    heat_map = draw_heat_map("heat-map", f"Codes that occur together in {where}", labels, values)
    context = {
        "study": study,
        "role": role,
        "form": form,
        "rows": rows,
        "body": mark_safe(body),  # noqa: S308 - table_row escapes every text
        "columns": table.columns,
        "heat_map": heat_map,
        "where": where,
        "csv_query": urlencode([*request.GET.lists(), ("format", "csv")], doseq=True),
    }
    return render(request, "codebook/cooccurrence.html", context)
