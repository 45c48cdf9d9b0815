"""Forms of the codebook app."""

from django import forms
from django.contrib.auth import get_user_model

from codebook.models import Code
from codebook.selection import CONSENSUS
from interviews.models import Role, Study


class ExportFilterForm(forms.Form):
    """What to put in a coded-segment export; every field may stay empty (= everything)."""

    code = forms.ModelMultipleChoiceField(
        queryset=Code.objects.none(), required=False, label="Codes (with their sub-codes)"
    )
    coder = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Coders"
    )
    interview = forms.ModelMultipleChoiceField(
        queryset=Code.objects.none(), required=False, label="Interviews"
    )
    layer = forms.ChoiceField(
        choices=[("", "Every coding"), (CONSENSUS, "Consensus only")],
        required=False,
        label="Layer",
    )
    excel = forms.BooleanField(
        required=False, label="For Excel (byte-order mark, formulas neutralised)"
    )

    def __init__(self, *args, study: Study, role: Role, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = Code.objects.filter(study=study)
        self.fields["interview"].queryset = study.interviews.all()
        coders = get_user_model().objects.filter(memberships__study=study)
        if not role.sees_other_coders(study):
            coders = coders.filter(pk=user.pk)
            self.fields["layer"].choices = [("", "Every coding")]
        self.fields["coder"].queryset = coders.order_by("username")

    def filters(self) -> dict:
        """Return the keyword arguments of ``filter_codings`` for the cleaned data."""
        data = self.cleaned_data
        return {
            "codes": data["code"] or None,
            "coders": data["coder"] or None,
            "interviews": data["interview"] or None,
            "layer": data["layer"] or None,
        }


class NewStudyForm(forms.Form):
    slug = forms.SlugField(
        max_length=50, label="Short name of the new study", help_text="Used in addresses."
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        if Study.objects.filter(slug=slug).exists():
            raise forms.ValidationError(f"A study “{slug}” already exists: choose another name.")
        return slug


class QdpxUploadForm(NewStudyForm):
    file = forms.FileField(label="REFI-QDA project (.qdpx)")
    title = forms.CharField(max_length=200, required=False, label="Title of the new study")
    allow_missing_sources = forms.BooleanField(
        required=False, label="Import even if some sources’ texts are missing"
    )


class BackupUploadForm(NewStudyForm):
    file = forms.FileField(label="Study backup (.json)")
    field_order = ["file", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = "Leave empty to keep the backup’s own."
