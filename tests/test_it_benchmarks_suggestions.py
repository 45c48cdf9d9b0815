"""The suggestion benchmark runs on a tiny study, prints its figures and keeps nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from codebook.models import LearnedModel, Suggestion, SuggestionRun
from interviews.models import Study


@pytest.mark.django_db
def test_it_prints_figures_and_leaves_no_trace():
    out = StringIO()
    call_command(
        "bench", "suggest", "--words", "3000", "--coded", "40", "--repeat", "1", stdout=out
    )
    printed = out.getvalue()
    assert "spaCy nlp.pipe alone" in printed and "terms run, end to end, first run" in printed
    assert "overhead on top of spaCy" in printed and "learned: trained on" in printed
    assert "status done" in printed
    for model in (Study, Suggestion, SuggestionRun, LearnedModel, get_user_model()):
        assert not model.objects.exists()
