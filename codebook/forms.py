"""Forms of the codebook app."""

from django import forms

from codebook.analysis.forms import SegmentFilterForm
from interviews.models import Study


class ExportFilterForm(SegmentFilterForm):
    """What to put in a coded-segment export: the retrieval page's filters, plus Excel."""

    excel = forms.BooleanField(
        required=False, label="For Excel (byte-order mark, formulas neutralised)"
    )


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
