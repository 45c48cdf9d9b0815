"""A study's settings, for its owner: blind coding and open coding."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from interviews.access import study_for
from interviews.models import Role, Study


class StudySettingsForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = ["blind_coding", "open_coding"]


def study_settings(request: HttpRequest, slug: str) -> HttpResponse:
    study, role = study_for(request, slug, Role.can_manage)
    form = StudySettingsForm(request.POST or None, instance=study)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, "Study settings saved.")
        return redirect(study)
    return render(
        request, "interviews/study_settings.html", {"study": study, "role": role, "form": form}
    )
