"""The retrieval page: coded segments by codes (AND, OR, NOT), cases, coders and words."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from codebook.analysis.forms import SegmentFilterForm
from codebook.analysis.segments import code_paths, counts_per_code, segments_page
from codebook.selection import filter_codings
from interviews.access import study_for


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def retrieval(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    form = SegmentFilterForm(request.GET or None, study=study, role=role, user=request.user)
    context = {
        "study": study,
        "role": role,
        "form": form,
        "query": _query_without_page(request),
        "blind": not role.sees_other_coders(study),
    }
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {}
        codings = filter_codings(study, request.user, role, **filters)
        paths = code_paths(study)
        # Every coding has a code, so the counts per code also say how many there are.
        context["counts"] = counts = counts_per_code(codings, paths)
        context["page"], context["segments"] = segments_page(
            study, codings, request.GET.get("page"), paths, total=sum(n for *_, n in counts)
        )
    template = "codebook/retrieval.html#results" if request.htmx else "codebook/retrieval.html"
    return render(request, template, context)
