"""Text search across a study's transcripts, with hits in context and auto-coding."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from codebook.analysis.forms import AutoCodeForm, SearchForm
from codebook.analysis.search import (
    auto_code_hits,
    interview_titles,
    search_study,
    transcript_revisions,
)
from codebook.models import Code
from interviews.access import study_for
from interviews.models import Role

MAX_HITS = 1000


def _hits(form: SearchForm, study):
    if not form.is_valid():
        return [], 0
    data = form.cleaned_data
    found = search_study(
        study, data["q"], lemma=data["lemma"], interviews=data["interview"] or None
    )
    return found[:MAX_HITS], len(found)


def _render(request, study, role, search_form, hits, total, autocode_form=None):
    if autocode_form is None and hits and role.can_code():
        autocode_form = AutoCodeForm(
            initial={**search_form.cleaned_data, "hit": [hit.key for hit in hits]},
            study=study,
            role=role,
            hits=hits,
        )
    ticked = set(autocode_form["hit"].value() or ()) if autocode_form else set()
    titles = interview_titles(study)
    context = {
        "study": study,
        "role": role,
        "form": search_form,
        "autocode": autocode_form,
        "hits": [(hit, titles.get(hit.interview_id, ""), hit.key in ticked) for hit in hits],
        "total": total,
        "capped": total > len(hits),
    }
    return render(request, "codebook/search.html", context)


def search(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    form = SearchForm(request.GET or None, study=study)
    hits, total = _hits(form, study) if form.is_bound else ([], 0)
    return _render(request, study, role, form, hits, total)


@require_POST
def search_autocode(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug, Role.can_code)
    search_form = SearchForm(request.POST, study=study)
    revisions = transcript_revisions(study)  # before the texts are read for the hits
    hits, total = _hits(search_form, study) if search_form.is_valid() else ([], 0)
    form = AutoCodeForm(request.POST, study=study, role=role, hits=hits)
    if not form.is_valid():
        return _render(request, study, role, search_form, hits, total, form)
    ticked = set(form.cleaned_data["hit"])
    chosen = [hit for hit in hits if hit.key in ticked]
    data = form.cleaned_data
    code = Code.objects.get(study=study, pk=data["code"]) if data["code"] else None
    try:
        code, added, skipped = auto_code_hits(
            study, request.user, chosen, data["unit"], code, data.get("new_code", ""), revisions
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render(request, study, role, search_form, hits, total, form)
    messages.success(
        request,
        f"Coded {added} passage{'s' if added != 1 else ''} with “{code.name}”"
        + (f"; {skipped} you had already coded with it." if skipped else "."),
    )
    query = urlencode(
        [("code", code.pk), ("exact", "on"), ("origin", "search"), ("coder", request.user.pk)]
    )
    return redirect(reverse("retrieval", args=[study.slug]) + "?" + query)
