"""python manage.py import_interviews STUDY FILE... [--participant LABEL]."""

import io

import pytest
from django.core.management import CommandError, call_command

from interviews.models import Interview
from tests.test_import_readers import make_docx

TEXT = "[00:00:05] Interviewer: Where did you grow up, Zoë?\n[00:00:09] Zoë: In Málaga 🌞."
SRT = (
    "1\n00:00:05,000 --> 00:00:08,000\nInterviewer: Where did you grow up?\n\n"
    "2\n00:00:09,500 --> 00:00:12,000\nZoë: In Málaga.\n"
)


def run(*args):
    out = io.StringIO()
    try:
        call_command("import_interviews", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_it_imports_each_file_with_its_turns(study, tmp_path):
    (tmp_path / "zoe.docx").write_bytes(make_docx(TEXT.splitlines()))
    (tmp_path / "zoe_captions.srt").write_text(SRT, encoding="utf-8")
    out, error = run("pilot", str(tmp_path / "zoe.docx"), str(tmp_path / "zoe_captions.srt"))
    assert error is None
    assert out.splitlines() == [
        f"{tmp_path / 'zoe.docx'}: imported as “zoe” with 2 turns",
        f"{tmp_path / 'zoe_captions.srt'}: imported as “zoe captions” with 2 turns",
    ]
    captions = Interview.objects.get(title="zoe captions")
    assert [
        (t.speaker, t.speaker_role, t.timestamp, captions.text[t.start : t.end])
        for t in captions.turns.all()
    ] == [
        ("Interviewer", "interviewer", 5, "Where did you grow up?"),
        ("Zoë", "participant", 9, "In Málaga."),
    ]


def test_a_refused_file_gets_its_line_and_the_others_still_import(study, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "zoe.txt").write_text(TEXT, encoding="utf-8")
    out, error = run("pilot", str(tmp_path / "empty.txt"), str(tmp_path / "zoe.txt"))
    assert out.splitlines()[0] == (
        f"{tmp_path / 'empty.txt'}: refused: empty file: there is nothing to import"
    )
    assert error == "1 of 2 files refused"
    assert list(Interview.objects.values_list("title", flat=True)) == ["zoe"]


def test_it_gives_every_file_the_participant(study, tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    run("pilot", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--participant", "Zoë")
    assert {i.participant.label for i in Interview.objects.all()} == {"Zoë"}
    assert study.participants.count() == 1


def test_a_duplicate_title_is_refused(study, tmp_path, interview):
    path = tmp_path / f"{interview.title}.txt"
    path.write_text(TEXT, encoding="utf-8")
    out, error = run("pilot", str(path))
    assert "refused: an interview titled" in out
    assert Interview.objects.count() == 1


def test_a_missing_file_is_refused(study, tmp_path):
    out, error = run("pilot", str(tmp_path / "nope.txt"))
    assert out == f"{tmp_path / 'nope.txt'}: refused: No such file or directory\n"


def test_an_unknown_study_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="no study with the slug 'nope'"):
        call_command("import_interviews", "nope", str(tmp_path / "a.txt"))
