"""Word frequencies: the words that set a code's passages apart from the rest of the study."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from codebook.analysis.forms import WordsForm
from codebook.analysis.words import distinctive_words
from codebook.selection import filter_codings
from interviews.access import study_for


def words(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    form = WordsForm(request.GET or None, study=study)
    context = {"study": study, "role": role, "form": form}
    if form.is_bound and form.is_valid():
        codings = filter_codings(
            study,
            request.user,
            role,
            codes=[form.cleaned_data["code"]],
        )
        keywords, inside, outside = distinctive_words(study, codings)
        context.update(keywords=keywords, inside=inside, outside=outside)
    return render(request, "codebook/words.html", context)
