"""Forms of the agreement pages: what to compare, and how to settle a disagreement."""

from urllib.parse import urlencode

from django import forms

from codebook.models import MEMO_MAX_LENGTH, SettlementChoice
from codebook.reliability.report import (
    CONSENSUS,
    applicable_codes,
    busiest_coders,
    coder_choices,
)
from codebook.reliability.table import DEFAULT_THRESHOLDS, UNIT_KINDS
from interviews.models import Study

UNIT_LABELS = {
    "sentence": "Sentence",
    "turn": "Speaker turn",
    "character": "Character (continuum)",
    "segment": "Coded segment (MAXQDA-style overlap)",
}


class AgreementForm(forms.Form):
    """Which coders, interviews, codes, unit and threshold to compare; empty means all."""

    coders = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        # Also what a study without codings shows first: nobody to pick for the page.
        error_messages={"required": "Pick two or more coders to compare."},
    )
    interviews = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    codes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    unit = forms.ChoiceField(
        choices=[(u, UNIT_LABELS[u]) for u in UNIT_KINDS], widget=forms.RadioSelect
    )
    threshold = forms.FloatField(
        required=False,
        min_value=0.01,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05", "aria-describedby": "threshold-help"}),
        help_text="Share of a unit a coding must cover (sentence, turn), or overlap two "
        "segments need (segment). Empty: 0.5, or 0.9 for segments.",
    )

    interviewer = forms.BooleanField(
        required=False,
        label="Count the interviewer's turns as units",
        help_text="Off: questions nobody codes do not inflate agreement.",
    )

    def __init__(self, study: Study, data=None, *, interviews=None, codes=None):
        self.study = study
        self.code_objects = codes if codes is not None else applicable_codes(study)
        self.interview_objects = (
            interviews if interviews is not None else list(study.interviews.all())
        )
        choices = coder_choices(study)
        if data is not None:
            data = data.copy()
            if not data.getlist("coders"):
                data.setlist("coders", busiest_coders(study))
            data.setdefault("unit", "sentence")
        super().__init__(data)
        self.fields["coders"].choices = choices
        self.fields["interviews"].choices = [(str(i.pk), i.title) for i in self.interview_objects]
        self.fields["codes"].choices = [(str(c.pk), c.label) for c in self.code_objects]

    def clean_coders(self):
        coders = self.cleaned_data["coders"]
        if len(coders) < 2:
            raise forms.ValidationError("Pick two or more coders to compare.")
        return [CONSENSUS if key == CONSENSUS else int(key) for key in coders]

    def clean_interviews(self):
        chosen = set(self.cleaned_data["interviews"])
        return [i for i in self.interview_objects if not chosen or str(i.pk) in chosen]

    def clean_codes(self):
        chosen = set(self.cleaned_data["codes"])
        codes = [c for c in self.code_objects if not chosen or str(c.pk) in chosen]
        if not codes:
            raise forms.ValidationError("This study has no codes to compare yet.")
        return codes

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("threshold") is None and cleaned.get("unit"):
            cleaned["threshold"] = DEFAULT_THRESHOLDS[cleaned["unit"]]
        return cleaned

    def query(self, coders=None, **extra) -> str:
        """Return the choices as a query string, for links that keep them."""
        data = self.cleaned_data
        pairs = [("coders", str(c)) for c in coders or data["coders"]]
        if len(data["interviews"]) != len(self.interview_objects):
            pairs += [("interviews", str(i.pk)) for i in data["interviews"]]
        if len(data["codes"]) != len(self.code_objects):
            pairs += [("codes", str(c.pk)) for c in data["codes"]]
        pairs += [("unit", data["unit"]), ("threshold", f"{data['threshold']:g}")]
        if data["interviewer"]:
            pairs.append(("interviewer", "on"))
        pairs += [(key, str(value)) for key, value in extra.items()]
        return urlencode(pairs)


class SettleForm(forms.Form):
    """Settle one disagreement: whose coding to take, or an edited passage, with a note."""

    choice = forms.ChoiceField(widget=forms.RadioSelect, label="Consensus")
    start = forms.IntegerField(required=False, min_value=0, label="Edited passage starts at")
    end = forms.IntegerField(required=False, min_value=1, label="Edited passage ends before")
    # No max_length: its maxlength attribute would cut a pasted note without a word.
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Up to {MEMO_MAX_LENGTH:,} characters.",
    )

    def __init__(self, coder_labels: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [
            (f"coder:{coder}", f"Take {label}'s coding")
            for coder, label in coder_labels.items()
            if coder != CONSENSUS
        ] + [
            (SettlementChoice.BOTH.value, "Take every coder's coding (their union)"),
            (SettlementChoice.NEITHER.value, "Neither: the code does not apply here"),
            (SettlementChoice.EDITED.value, "An edited passage (give start and end below)"),
        ]

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        # The note becomes the memo of the consensus codings it makes: the same limit.
        if len(note) > MEMO_MAX_LENGTH:
            raise forms.ValidationError(
                f"A note holds up to {MEMO_MAX_LENGTH:,} characters, as a coding's memo does, "
                f"and this one has {len(note):,}. Nothing was settled: shorten it (it is "
                "still in the box), or keep the longer text in a memo of the interview or "
                "the code."
            )
        return note

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("choice", "")
        cleaned["taken_from"] = None
        if choice.startswith("coder:"):
            cleaned["taken_from"] = int(choice.split(":", 1)[1])
            cleaned["choice"] = SettlementChoice.CODER.value
        if choice == SettlementChoice.EDITED:
            start, end = cleaned.get("start"), cleaned.get("end")
            if start is None or end is None or end <= start:
                raise forms.ValidationError(
                    "For an edited passage give a start and an end after it."
                )
        return cleaned
