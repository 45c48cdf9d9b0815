"""A restored study starts with no undo history: its steps named the original study's rows."""

import io
import json

import pytest
from django.urls import reverse

from codebook.exchange import backup
from codebook.models import Coding, CodingAction
from interviews.models import Interview
from tests.conftest import passage_of


def _coding_post(client, interview, name, *args, **data):
    url = reverse(name, args=[interview.study.slug, interview.pk, *args])
    return client.post(url, data, headers={"HX-Request": "true"})


def _status(response) -> str:
    return response.content.decode()


@pytest.fixture
def changed(client, interview, codes, bob):
    """Bob codes a passage and writes a memo on it in the workbench: two undo steps."""
    client.force_login(bob)
    start, end = passage_of(interview.text, "We asked citizens")
    _coding_post(
        client, interview, "coding-add", code=codes["sensemaking"].pk, start=start, end=end
    )
    coding = Coding.objects.get(interview=interview)
    _coding_post(client, interview, "coding-change", coding.pk, memo="Shared design.")
    assert CodingAction.objects.filter(interview=interview).count() == 2
    return coding


def _restore_through_the_pages(client, alice, interview, slug="copy"):
    """Download the study's backup and restore it as ``slug``; return the interview's copy."""
    client.force_login(alice)
    response = client.get(reverse("export-backup", args=[interview.study.slug]))
    upload = io.BytesIO(b"".join(response.streaming_content))
    upload.name = "pilot.json"
    response = client.post(reverse("import-backup"), {"file": upload, "slug": slug})
    assert response.status_code == 302
    return Interview.objects.get(study__slug=slug, title=interview.title)


def _codings(interview) -> list[tuple]:
    return list(
        Coding.objects.filter(interview=interview).values_list("quote", "memo", "code__name")
    )


def test_undo_in_a_restored_study_has_nothing_to_undo_and_changes_no_study(
    client, alice, bob, study, interview, changed
):
    copy = _restore_through_the_pages(client, alice, interview)
    before = (_codings(interview), _codings(copy))
    assert before[1] == [("We asked citizens", "Shared design.", "Sensemaking")]

    client.force_login(bob)
    response = _coding_post(client, copy, "coding-undo")

    assert "Nothing to undo." in _status(response)
    assert (_codings(interview), _codings(copy)) == before
    assert Coding.objects.get(pk=changed.pk).interview == interview


def test_undo_in_a_restored_study_reverses_what_is_done_there(
    client, alice, bob, study, interview, codes, changed
):
    copy = _restore_through_the_pages(client, alice, interview)
    client.force_login(bob)
    start, end = passage_of(copy.text, "frontline staff")
    code = copy.study.codes.get(name="Inhibitor")
    _coding_post(client, copy, "coding-add", code=code.pk, start=start, end=end)

    response = _coding_post(client, copy, "coding-undo")

    assert "Undone: coding removed." in _status(response)
    assert _codings(copy) == [("We asked citizens", "Shared design.", "Sensemaking")]
    assert _codings(interview) == [("We asked citizens", "Shared design.", "Sensemaking")]


@pytest.mark.parametrize("layout", ["as written", "reformatted"])
def test_a_backup_that_still_holds_undo_steps_restores_without_them(
    client, monkeypatch, alice, bob, study, interview, changed, layout
):
    # Backups written before undo history was left out carry its table.
    with monkeypatch.context() as patch:
        tables = [*backup.BACKUP_TABLES, backup.Table("codebook.CodingAction", "interview__study")]
        patch.setattr(backup, "BACKUP_TABLES", tables)
        text = io.StringIO()
        backup.write_backup(study, text)
    content = text.getvalue()
    assert '"codebook.CodingAction"' in content
    if layout == "reformatted":
        content = json.dumps(json.loads(content), indent=2)
    upload = io.BytesIO(content.encode())
    upload.name = "old.json"
    client.force_login(alice)
    response = client.post(reverse("import-backup"), {"file": upload, "slug": "old"})

    assert response.status_code == 302
    copy = Interview.objects.get(study__slug="old", title=interview.title)
    assert not CodingAction.objects.filter(interview__study=copy.study).exists()
    assert _codings(copy) == _codings(interview)
