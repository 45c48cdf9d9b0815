"""The methods report: a printable page and a Markdown download."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from codebook.analysis.report import gather_facts
from codebook.analysis.report_text import write_markdown, write_sections
from interviews.access import study_for


def report(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    facts = gather_facts(study, request.user, role)
    context = {"study": study, "role": role, "facts": facts, "sections": write_sections(facts)}
    return render(request, "codebook/report.html", context)


def report_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    facts = gather_facts(study, request.user, role)
    response = HttpResponse(
        write_markdown(facts, write_sections(facts)), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{study.slug}-methods.md"'
    return response
