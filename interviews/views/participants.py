"""A study's participants with their attributes, and the attributes CSV upload."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from interviews.access import study_for
from interviews.forms import AttributeCsvForm
from interviews.importing.attributes import parse_attribute_csv
from interviews.importing.readers import ImportRefused
from interviews.participants import LIMITS, store_attributes


def participant_list(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug)
    form = AttributeCsvForm()
    problems: list = []
    if request.method == "POST":
        if not role.can_import():
            raise PermissionDenied("Your role in this study does not allow this.")
        form = AttributeCsvForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["csv_file"]
            try:
                rows, problems = parse_attribute_csv(upload.read(), limits=LIMITS)
            except ImportRefused as refusal:
                form.add_error("csv_file", f"{upload.name}: {refusal}")
            else:
                created, updated = store_attributes(study, rows)
                messages.success(
                    request,
                    f"{upload.name}: {created} participant{'s' if created != 1 else ''} created, "
                    f"{updated} updated, {len(problems)} row{'s' if len(problems) != 1 else ''} "
                    "not used.",
                )
                if not problems:
                    return redirect("participants", slug=study.slug)
    participants = study.participants.prefetch_related("attributes").order_by("label")
    names = sorted({a.name for p in participants for a in p.attributes.all()}, key=str.casefold)
    table = [
        (p, [{a.name: a.value for a in p.attributes.all()}.get(name, "") for name in names])
        for p in participants
    ]
    return render(
        request,
        "interviews/participants.html",
        {
            "study": study,
            "role": role,
            "form": form,
            "problems": problems,
            "names": names,
            "table": table,
        },
    )
