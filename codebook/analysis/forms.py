"""Forms of the find-and-compare pages: segment filters, matrices, search and auto-coding."""

from django import forms
from django.contrib.auth import get_user_model

from codebook.analysis.search import UNITS
from codebook.layers import coders_of
from codebook.models import Code, Origin
from codebook.selection import CONSENSUS, OVERLAP, SAME_TURN
from interviews.models import ParticipantAttribute, Role, Study, Turn
from interviews.text import named_alike

# Ids beyond this are not sent to the database (SQLite's integers stop at 2**63).
LARGEST_ID = 2**62
PROXIMITY_CHOICES = [(OVERLAP, "Overlapping passages"), (SAME_TURN, "The same speaker turn")]
CODE_FIELDS = ("code", "with_code", "without_code", "proximity", "exact")
LAYER_CHOICES = [("", "Every coding"), (CONSENSUS, "Consensus only")]


def _code_choices(study: Study, applicable_only: bool = False):
    codes = {code.pk: code for code in Code.objects.filter(study=study)}
    choices = [
        (pk, code.path_in(codes))
        for pk, code in codes.items()
        if not (applicable_only and code.grouping_only)
    ]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def _once(read):
    """Wrap ``read`` so that validating and drawing the form share one query."""
    found: list = []

    def choices():
        if not found:
            found.append(read())
        return found[0]

    return choices


def _attribute_choices(study: Study):
    pairs = (
        ParticipantAttribute.objects.filter(participant__study=study)
        .order_by("name", "value")
        .values_list("name", "value")
        .distinct()
    )
    return [(f"{name}={value}", f"{name}: {value}") for name, value in pairs]


def _speaker_choices(study: Study):
    speakers = (
        Turn.objects.filter(interview__study=study)
        .exclude(speaker="")
        .order_by("speaker")
        .values_list("speaker", flat=True)
        .distinct()
    )
    return [(speaker, speaker) for speaker in speakers]


class RowsField(forms.ModelMultipleChoiceField):
    """Rows chosen by id; an id no row can have is an unknown choice, not a server error.

    Django sends every id to the database in one ``IN``, where SQLite cannot take a
    number past 2**63 and raises ``OverflowError``.
    """

    def _check_values(self, value):
        for pk in value:
            try:
                beyond = abs(int(pk)) > LARGEST_ID
            except (TypeError, ValueError):
                beyond = False  # Django's own check names it
            if beyond:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class SegmentFilterForm(forms.Form):
    """Which coded segments to show or export; every field may stay empty (= everything)."""

    code = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="Codes (with their sub-codes)",
        help_text="Segments coded with any of them (OR).",
    )
    with_code = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="…together with each of these codes (AND)"
    )
    without_code = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="…but not together with any of these (NOT)"
    )
    proximity = forms.ChoiceField(
        choices=PROXIMITY_CHOICES, required=False, label="“Together” means"
    )
    exact = forms.BooleanField(required=False, label="Leave out sub-codes")
    coder = RowsField(queryset=get_user_model().objects.none(), required=False, label="Coders")
    interview = RowsField(queryset=Code.objects.none(), required=False, label="Interviews")
    participant = RowsField(queryset=Code.objects.none(), required=False, label="Participants")
    attribute = forms.MultipleChoiceField(required=False, label="Participant attributes")
    speaker = forms.MultipleChoiceField(required=False, label="Speakers")
    origin = forms.MultipleChoiceField(
        choices=Origin.choices, required=False, label="How the coding was made"
    )
    layer = forms.ChoiceField(choices=LAYER_CHOICES, required=False, label="Layer")
    text = forms.CharField(required=False, max_length=200, label="Words in the passage")

    def __init__(self, *args, study: Study, role: Role, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are callables, read only when the form is validated or drawn,
        # so that a plain download does not pay for them.
        codes = _once(lambda: _code_choices(study))
        for name in ("code", "with_code", "without_code"):
            self.fields[name].choices = codes
        # The choices need titles, not transcripts (megabytes in a large study).
        self.fields["interview"].queryset = study.interviews.defer("text")
        self.fields["participant"].queryset = study.participants.all()
        self.fields["attribute"].choices = _once(lambda: _attribute_choices(study))
        self.fields["speaker"].choices = _once(lambda: _speaker_choices(study))
        coders = coders_of(study)
        if not role.sees_other_coders(study):
            coders = coders.filter(pk=user.pk)
            self.fields["layer"].choices = LAYER_CHOICES[:1]
            self.fields["origin"].choices = [
                choice for choice in Origin.choices if choice[0] != Origin.CONSENSUS
            ]
        self.fields["coder"].queryset = coders

    @property
    def code_fields(self):
        return [self[name] for name in CODE_FIELDS]

    @property
    def other_fields(self):
        return [field for field in self if field.name not in CODE_FIELDS]

    def clean_text(self) -> str:
        return " ".join(self.cleaned_data["text"].split())

    def filters(self) -> dict:
        """Return the keyword arguments of ``filter_codings`` for the cleaned data."""
        data = self.cleaned_data
        return {
            "codes": data["code"] or None,
            "coders": data["coder"] or None,
            "interviews": data["interview"] or None,
            "layer": data["layer"] or None,
            "subcodes": not data["exact"],
            "with_codes": data["with_code"] or None,
            "without_codes": data["without_code"] or None,
            "proximity": data["proximity"] or OVERLAP,
            "participants": data["participant"] or None,
            "attributes": [tuple(pair.split("=", 1)) for pair in data["attribute"]] or None,
            "speakers": data["speaker"] or None,
            "origins": data["origin"] or None,
            "text": data["text"],
        }


class CompareForm(forms.Form):
    """Whose codings a matrix or chart counts, and how co-occurrence is judged."""

    by = forms.ChoiceField(required=False, label="Columns")
    proximity = forms.ChoiceField(
        choices=PROXIMITY_CHOICES, required=False, label="Codes occur together in"
    )
    coder = RowsField(queryset=get_user_model().objects.none(), required=False, label="Coders")
    layer = forms.ChoiceField(choices=LAYER_CHOICES, required=False, label="Layer")

    def __init__(self, *args, study: Study, role: Role, user, attribute_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = [("", "Interviews")] + [
            (name, f"Participants’ {name}") for name in attribute_names
        ]
        coders = coders_of(study)
        if not role.sees_other_coders(study):
            coders = coders.filter(pk=user.pk)
            self.fields["layer"].choices = LAYER_CHOICES[:1]
        self.fields["coder"].queryset = coders

    @property
    def matrix_fields(self):
        return [self["by"], self["coder"], self["layer"]]

    @property
    def cooccurrence_fields(self):
        return [self["proximity"], self["coder"], self["layer"]]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound else {}
        return {"coders": data.get("coder") or None, "layer": data.get("layer") or None}


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, label="Words or phrase")
    lemma = forms.BooleanField(
        required=False, label="Also other forms of the words (by lemma: “citizen” finds “citizens”)"
    )
    interview = RowsField(
        queryset=Code.objects.none(), required=False, label="Only in these interviews"
    )

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interview"].queryset = study.interviews.defer("text")

    def clean_q(self) -> str:
        query = " ".join(self.cleaned_data["q"].split())
        if not any(character.isalnum() for character in query):
            raise forms.ValidationError("Type at least one word to search for.")
        return query


class AutoCodeForm(SearchForm):
    """Apply one code to the ticked hits of a search (or the sentence or turn around them)."""

    hit = forms.MultipleChoiceField(
        required=False,
        label="Hits to code",
        # A ticked hit the search no longer finds there: its transcript changed meanwhile.
        error_messages={
            "invalid_choice": "A ticked hit is no longer in its transcript as it was (it was "
            "corrected meanwhile): look at the hits found now, tick them again and code."
        },
    )
    code = forms.TypedChoiceField(
        coerce=int, required=False, label="Code to apply", empty_value=None
    )
    new_code = forms.CharField(max_length=120, required=False, label="…or a new code named")
    unit = forms.ChoiceField(choices=UNITS, label="What to code")

    def __init__(self, *args, study: Study, role: Role, hits=(), **kwargs):
        super().__init__(*args, study=study, **kwargs)
        self.study = study
        self.role = role
        self.fields["code"].choices = [("", "—")] + _code_choices(study, applicable_only=True)
        self.fields["hit"].choices = [(hit.key, hit.key) for hit in hits]
        if not role.can_add_codes(study):
            del self.fields["new_code"]

    @property
    def code_fields(self):
        return [self[name] for name in ("code", "new_code", "unit") if name in self.fields]

    def clean_new_code(self) -> str:
        return " ".join(self.cleaned_data["new_code"].split())

    def clean(self):
        data = super().clean()
        new_code = data.get("new_code", "")
        if data.get("code") and new_code:
            raise forms.ValidationError("Choose a code or name a new one, not both.")
        if not data.get("code") and not new_code and "code" not in self.errors:
            raise forms.ValidationError("Choose the code to apply, or name a new one.")
        if new_code:
            if "/" in new_code:
                self.add_error("new_code", "A code name cannot contain “/” (it separates paths).")
            elif named_alike(
                Code.objects.filter(study=self.study, parent=None).values_list("name", flat=True),
                new_code,
            ):
                self.add_error("new_code", f"A code “{new_code}” already exists: choose it above.")
        if not data.get("hit") and "hit" not in self.errors:
            self.add_error("hit", "Tick at least one hit to code.")
        return data


class WordsForm(forms.Form):
    code = forms.TypedChoiceField(coerce=int, label="Passages of the code (with its sub-codes)")

    def __init__(self, *args, study: Study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = _code_choices(study)
