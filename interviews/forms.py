"""Forms of the importing, participant, correction and members screens."""

from django import forms

from interviews.models import Interview, Participant, Role, Study
from interviews.text import named_alike


class SaveImportForm(forms.Form):
    """The title and participant of an interview being imported."""

    title = forms.CharField(label="Title", max_length=200)
    participant = forms.ModelChoiceField(
        label="Participant",
        queryset=Participant.objects.none(),
        required=False,
        empty_label="— a new participant (name it below) or none —",
    )
    new_participant = forms.CharField(
        label="New participant",
        max_length=100,
        required=False,
        help_text="Leave empty for an interview without a participant.",
    )

    def __init__(self, *args, study: Study, participants: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.study = study
        participant = self.fields["participant"]
        assert isinstance(participant, forms.ModelChoiceField)
        participant.queryset = study.participants.all()
        if participants is not None:
            # Several cards share one list: no query per card to draw the options.
            participant.choices = [("", participant.empty_label)] + [
                (p.pk, p.label) for p in participants
            ]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("An interview needs a title.")
        titles = Interview.objects.filter(study=self.study).values_list("title", flat=True)
        if named_alike(titles, title):
            raise forms.ValidationError(
                f"An interview titled “{title}” already exists in this study: choose another title."
            )
        return title

    def clean_new_participant(self) -> str:
        return " ".join(self.cleaned_data["new_participant"].split())

    def clean(self):
        data = super().clean()
        if data.get("participant") and data.get("new_participant"):
            raise forms.ValidationError(
                "Choose a participant from the list or name a new one, not both."
            )
        return data


class AttributeCsvForm(forms.Form):
    csv_file = forms.FileField(
        label="Attributes CSV",
        help_text="First row: a “participant” column, then one column per attribute.",
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label="Transcript text", widget=forms.Textarea(attrs={"rows": 30}), strip=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class AddMemberForm(forms.Form):
    account = forms.CharField(
        label="User name or e-mail",
        max_length=254,
        help_text="An account the site's administrator has made.",
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.CODER)

    def clean_account(self) -> str:
        account = self.cleaned_data["account"].strip()
        if not account:
            raise forms.ValidationError("Give the user name or e-mail address of an account.")
        return account


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
