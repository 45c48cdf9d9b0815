import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from codebook.models import Code, Coding
from interviews.models import Interview, Membership, Participant, Study, Turn


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Study, Membership, Participant, Interview, Turn, Code, Coding)
    }


def test_loading_the_demo_twice_gives_the_same_study(db):
    call_command("load_demo", verbosity=0)
    first = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == first
    assert first["Interview"] == 3


def test_the_demo_is_a_coded_study_of_three_long_interviews(db):
    call_command("load_demo", verbosity=0)
    study = Study.objects.get(slug="demo")
    for interview in study.interviews.all():
        assert 3000 <= interview.word_count <= 6000
        assert "fictional" in interview.text[:600]
        for coder in ("coder1", "coder2"):
            codings = interview.codings.filter(coder__username=coder)
            assert codings.count() >= 40
        for coding in interview.codings.all():
            assert interview.text[coding.start : coding.end] == coding.quote
        speakers = set(interview.turns.values_list("speaker", flat=True))
        assert "Interviewer" in speakers and interview.participant.label in speakers
    leaves = study.codes.filter(grouping_only=False)
    assert {"Sensemaking", "Identity work", "Enabler", "Inhibitor"} <= set(
        leaves.values_list("name", flat=True)
    )
    assert all(code.definition for code in study.codes.all())


def test_the_demo_data_passes_its_own_checks():
    """Every quote occurs once, inside a manager's turn, and names a leaf code."""
    result = subprocess.run(
        [sys.executable, "codebook/demo/check_demo.py"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
