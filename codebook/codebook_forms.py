"""Forms of the codebook pages; they only check and tidy input, tree.py does the work."""

from django import forms

from codebook.snapshots import FIELD_LABELS

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class CodeEntryForm(forms.Form):
    name = forms.CharField(max_length=120)
    colour = forms.CharField(max_length=7, widget=forms.TextInput(attrs={"type": "color"}))
    shortcut = forms.CharField(
        max_length=1, required=False, help_text="One key that applies the code in the workbench."
    )
    grouping_only = forms.BooleanField(
        required=False, help_text="A folder for other codes; it cannot be applied itself."
    )
    definition = forms.CharField(required=False, widget=TEXTAREA)
    inclusion = forms.CharField(required=False, widget=TEXTAREA)
    exclusion = forms.CharField(required=False, widget=TEXTAREA)
    example = forms.CharField(required=False, widget=TEXTAREA)
    counter_example = forms.CharField(required=False, widget=TEXTAREA)
    indicator_terms = forms.CharField(
        required=False, widget=TEXTAREA, help_text="Words or phrases that point to it, one a line."
    )
    notes = forms.CharField(required=False, widget=TEXTAREA)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in FIELD_LABELS:
                field.label = FIELD_LABELS[name]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def entry(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class AddCodeForm(forms.Form):
    name = forms.CharField(max_length=120)
    parent = forms.TypedChoiceField(
        label="Under", required=False, coerce=int, empty_value=None, choices=()
    )
    colour = forms.CharField(
        max_length=7, initial="#f2c94c", widget=forms.TextInput(attrs={"type": "color"})
    )
    grouping_only = forms.BooleanField(required=False, label="Grouping only")

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "— top of the codebook —"), *parents]


class MoveForm(forms.Form):
    parent = forms.TypedChoiceField(
        label="New parent", required=False, coerce=int, empty_value=None, choices=()
    )
    place = forms.IntegerField(
        label="Place among its new siblings",
        min_value=1,
        required=False,
        help_text="1 puts it first; leave empty to put it last.",
    )

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "— top of the codebook —"), *parents]


class MergeForm(forms.Form):
    target = forms.TypedChoiceField(label="Merge into", coerce=int, choices=())
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "— choose a code —"), *targets]


class SplitForm(forms.Form):
    codings = forms.TypedMultipleChoiceField(
        label="Codings to move", coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    target = forms.TypedChoiceField(
        label="Move them to an existing code", required=False, coerce=int, empty_value=None
    )
    new_name = forms.CharField(label="…or to a new code named", max_length=120, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, codings=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codings"].choices = codings
        self.fields["target"].choices = [("", "— a new code —"), *targets]

    def clean(self):
        data = super().clean()
        if not data.get("target") and not " ".join(data.get("new_name", "").split()):
            raise forms.ValidationError("Choose an existing code or name a new one.")
        if data.get("target") and data.get("new_name", "").strip():
            raise forms.ValidationError("Choose an existing code or name a new one, not both.")
        return data


class VersionForm(forms.Form):
    name = forms.CharField(
        label="Version name", max_length=200, help_text="For example: v2, after pilot coding."
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Codebook file", required=False, help_text="A .csv or REFI-QDA .qdc file."
    )
    # After the preview, the file comes back as text so that confirming needs no upload.
    content = forms.CharField(required=False, widget=forms.HiddenInput)
    filename = forms.CharField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
