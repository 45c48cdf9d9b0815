"""Restoring a backup written before attribute names were one name whatever their case.

Such a backup may hold "Age" and "age" for one participant, which the database now
refuses. The restore merges them as migration interviews.0005 merged existing rows
(the spelling first stored, the value stored last) and says what it merged.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from codebook.exchange.attribute_names import merge_names_differing_in_case
from codebook.exchange.backup import dump_study, restore_study
from interviews.models import Participant, ParticipantAttribute, Study


@pytest.fixture
def old_backup(study, participant):
    """The backup's lines: Manager A has Age 41 then age 42; Manager B has age 50."""
    other = Participant.objects.create(study=study, label="Manager B")
    ParticipantAttribute.objects.create(participant=participant, name="Age", value="41")
    ParticipantAttribute.objects.create(participant=other, name="age", value="50")
    ParticipantAttribute.objects.create(participant=participant, name="Sector", value="Care")
    client_lines = _download(study)
    # The database holds no such pair any more: write it into the file, after Age 41.
    row = '[1, "Age", "41"]'
    assert row in client_lines
    return client_lines.replace(row, row + ',\n[1, "age", "42"]')


def _download(study):
    from django.test import Client

    client = Client()
    client.force_login(study.memberships.get(role="owner").user)
    response = client.get(reverse("export-backup", args=[study.slug]))
    return b"".join(response.streaming_content).decode()


def _attributes(slug):
    return sorted(
        ParticipantAttribute.objects.filter(participant__study__slug=slug).values_list(
            "participant__label", "name", "value"
        )
    )


MERGED = [
    ("Manager A", "Age", "42"),
    ("Manager A", "Sector", "Care"),
    ("Manager B", "Age", "50"),
]
SAID = (
    "“Age” and “age” are one attribute now, “Age”: names are compared without regard to "
    "case. Manager A had both; the value stored last was kept."
)


def test_the_restore_page_merges_them_and_says_so(client, alice, old_backup):
    client.force_login(alice)
    upload = io.BytesIO(old_backup.encode())
    upload.name = "pilot.json"
    response = client.post(reverse("import-backup"), {"file": upload, "slug": "copy"}, follow=True)
    assert response.status_code == 200
    said = [str(message) for message in response.context["messages"]]
    assert said == [f"Restored “{Study.objects.get(slug='copy').title}”.", SAID]
    assert _attributes("copy") == MERGED


def test_the_restore_command_merges_them_and_says_so(tmp_path, old_backup):
    path = tmp_path / "pilot.json"
    path.write_text(old_backup, encoding="utf-8")
    out = io.StringIO()
    call_command("import_study", str(path), "--slug", "copy", stdout=out)
    assert SAID in out.getvalue()
    assert _attributes("copy") == MERGED


def test_a_backup_in_another_json_layout_is_merged_the_same(old_backup):
    document = json.loads(old_backup)  # read whole, not line by line
    notes = []
    restore_study(document, slug="copy", notes=notes)
    assert notes == [SAID]
    assert _attributes("copy") == MERGED


def test_a_backup_without_such_pairs_restores_without_a_note(study, participant):
    ParticipantAttribute.objects.create(participant=participant, name="Age", value="41")
    notes = []
    restore_study(dump_study(study), slug="copy", notes=notes)
    assert notes == []
    assert _attributes("copy") == [("Manager A", "Age", "41")]


def test_names_are_compared_as_python_folds_case_beyond_ascii():
    rows = [[1, "RÉGION", "Nord"], [1, "région", "Sud"], [2, "Région", "Est"]]
    merged, became, merges = merge_names_differing_in_case(rows, 0, 1, 2)
    assert merged == [[1, "RÉGION", "Sud"], [2, "RÉGION", "Est"]]
    assert became == [0, 0, 1]
    assert [(m.name, m.spellings, m.participants) for m in merges] == [
        ("RÉGION", ["RÉGION", "région", "Région"], [1])
    ]


def test_a_long_list_of_participants_is_cut_short():
    rows = [row for p in range(1, 9) for row in ([p, "Age", "1"], [p, "age", "2"])]
    _, _, merges = merge_names_differing_in_case(rows, 0, 1, 2)
    note = merges[0].describe({p: f"P{p}" for p in range(1, 9)})
    assert note.endswith("P1, P2, P3, P4, P5 and 3 more had both; the value stored last was kept.")
