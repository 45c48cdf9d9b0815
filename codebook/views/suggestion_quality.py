"""The supervisors' page of suggestion quality: precision, recall and F1, and acceptance in use."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from codebook.models import Suggester
from codebook.suggestion_quality import quality_rows
from interviews.access import study_for
from interviews.models import Role


def quality(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug, Role.can_review)
    if request.method == "POST":
        from codebook.tasks import evaluate_suggesters

        evaluate_suggesters.enqueue(study.pk)
        messages.success(request, "Evaluation started; reload this page in a minute.")
        return redirect("suggestion-quality", slug=study.slug)
    rows, overall = quality_rows(study)
    shown = [(key, label) for key, label in Suggester.choices if key in overall]
    for row in rows:
        row["cells"] = [row["scores"].get(key) for key, _ in shown]
    context = {
        "study": study,
        "rows": rows,
        "overall": [(label, overall[key]) for key, label in shown],
        "suggesters": [label for _, label in shown],
    }
    return render(request, "codebook/suggestion_quality.html", context)
