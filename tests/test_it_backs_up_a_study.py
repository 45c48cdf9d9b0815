"""Whole-study backup and restore: every row, dates included, across SQLite and PostgreSQL."""

import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from codebook.exchange import backup
from codebook.exchange.backup import (
    BACKUP_TABLES,
    LEFT_OUT_TABLES,
    BackupError,
    dump_study,
    read_backup,
    restore_study,
)
from codebook.history import freeze_version, snapshot_codebook
from codebook.models import Coding, Memo
from codebook.snapshots import compare_snapshots
from codebook.tree import add_code, delete_code, edit_code
from interviews.models import Study
from tests.exchange_data import fill_study

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get("COPROD_TEST_POSTGRES", "postgres://postgres:postgres@127.0.0.1:5432")


@pytest.fixture
def codings(study, interview, codes, make_coding, alice, sam, bob, carol):
    return fill_study(study, interview, codes, make_coding, alice, sam, bob, carol)


def _without_slug(dump: dict) -> dict:
    dump = json.loads(json.dumps(dump))
    dump.pop("study")
    study_table = dump["tables"][0]
    study_table["rows"][0][study_table["fields"].index("slug")] = None
    return dump


def test_it_restores_every_row_of_every_table_with_its_dates(tmp_path, study, codings):
    path = tmp_path / "pilot.json"
    call_command("export_study", "pilot", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_study", str(path), "--slug", "pilot-restored", stdout=out)
    assert "Restored “pilot-restored”" in out.getvalue()
    restored = Study.objects.get(slug="pilot-restored")
    assert _without_slug(dump_study(restored)) == _without_slug(dump_study(study))
    original = Coding.objects.get(pk=codings["consensus"].pk)
    copy = Coding.objects.get(interview__study=restored, origin="consensus")
    assert (copy.created, copy.updated, copy.memo) == (
        original.created,
        original.updated,
        original.memo,
    )


def test_it_counts_every_row_of_the_study_in_the_backup(study, codings, alice):
    add_code(study, alice, "Enabler")
    freeze_version(study, alice, "v1, after pilot coding")
    tables = {table["model"]: len(table["rows"]) for table in dump_study(study)["tables"]}
    assert tables == {
        "interviews.Study": 1,
        "interviews.Membership": 5,
        "interviews.Participant": 1,
        "interviews.ParticipantAttribute": 2,
        "interviews.Interview": 2,
        "interviews.Turn": 4,
        "interviews.InterviewRevision": 0,
        "interviews.PendingImport": 0,
        "codebook.Code": 5,
        "codebook.Coding": 6,
        "codebook.Memo": 3,
        "codebook.CodebookChange": 1,
        "codebook.CodebookVersion": 1,
        "codebook.Settlement": 0,
        "codebook.SettlementCoding": 0,
        "codebook.SentenceCache": 0,
        "codebook.SuggestionRun": 0,
        "codebook.Suggestion": 0,
    }


def test_it_carries_every_model_that_points_at_a_studys_rows():
    carried = {table.model for table in BACKUP_TABLES}
    left_out = {apps.get_model(label) for label in LEFT_OUT_TABLES}
    # Many-to-many fields keep their rows in tables of their own (auto-created models).
    for model in apps.get_models(include_auto_created=True):
        if model in carried or model in left_out:
            continue
        for field in model._meta.concrete_fields:
            assert not (field.is_relation and field.related_model in carried), (
                f"{model._meta.label}.{field.name} points at a study's rows: "
                "add the model to BACKUP_TABLES (or, saying why, LEFT_OUT_TABLES) "
                "in codebook/exchange/backup.py"
            )


def test_it_creates_missing_users_without_a_usable_password(tmp_path, study, codings):
    data = dump_study(study)
    get_user_model().objects.filter(username="vic").delete()
    path = tmp_path / "pilot.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_study", str(path), "--slug", "other", stdout=io.StringIO())
    vic = get_user_model().objects.get(username="vic")
    assert not vic.has_usable_password()
    assert Study.objects.get(slug="other").role_of(vic) == "viewer"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ('{"format": "something else"}', "format mark is missing"),
        ('{"format": "coprod-study-backup", "version": 99}', "version 99"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_backup(tmp_path, db, content, message):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_study", str(path))


def test_it_refuses_to_overwrite_a_study(tmp_path, study, codings):
    path = tmp_path / "pilot.json"
    call_command("export_study", "pilot", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_study", str(path))


def test_it_leaves_nothing_when_a_row_is_damaged(tmp_path, study, codings):
    data = dump_study(study)
    codings_table = next(t for t in data["tables"] if t["model"] == "codebook.Coding")
    codings_table["rows"][-1][codings_table["fields"].index("end")] = 10**6
    path = tmp_path / "pilot.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was restored"):
        call_command("import_study", str(path), "--slug", "damaged")
    assert not Study.objects.filter(slug="damaged").exists()
    assert not Memo.objects.filter(study__slug="damaged").exists()


@pytest.mark.parametrize("chunk_rows", [1, 2, 3])
def test_rows_restored_many_to_a_statement_keep_every_reference(
    monkeypatch, study, codings, chunk_rows
):
    # Small chunks put statement ends everywhere: a coding and its code, settlement or
    # suggestion in different statements, a table ending on one.
    monkeypatch.setattr(backup, "CHUNK_ROWS", chunk_rows)
    restored = restore_study(dump_study(study), slug="pilot-chunked")
    assert _without_slug(dump_study(restored)) == _without_slug(dump_study(study))


@pytest.mark.parametrize("number", [0, -1, 10**6, "1", 1.0, True])
def test_a_reference_to_a_row_the_file_does_not_have_is_damage(study, codings, number):
    data = dump_study(study)
    codings_table = next(t for t in data["tables"] if t["model"] == "codebook.Coding")
    codings_table["rows"][0][codings_table["fields"].index("code")] = number
    with pytest.raises(BackupError, match="damaged and was not restored"):
        restore_study(data, slug="damaged")
    assert not Study.objects.filter(slug="damaged").exists()


def test_only_owners_download_a_backup(client, alice, sam, charlie, codings):
    url = reverse("export-backup", args=["pilot"])
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert read_backup(io.BytesIO(b"".join(response.streaming_content))).study == "pilot"
    client.force_login(sam)
    assert client.get(url).status_code == 403
    client.force_login(charlie)
    assert client.get(url).status_code == 404


def _upload(study, name="pilot.json"):
    upload = io.BytesIO(json.dumps(dump_study(study)).encode())
    upload.name = name
    return upload


def test_an_owner_restores_a_backup_from_the_browser(client, alice, study, codings):
    client.force_login(alice)
    response = client.post(reverse("import-backup"), {"file": _upload(study), "slug": "copy"})
    assert response.status_code == 302
    assert Study.objects.get(slug="copy").role_of(alice) == "owner"


def test_a_non_owner_cannot_restore_a_backup_from_the_browser(client, bob, study, codings):
    client.force_login(bob)
    response = client.post(reverse("import-backup"), {"file": _upload(study), "slug": "copy"})
    assert response.status_code == 200
    assert "Only an owner of the backed-up study" in response.content.decode()
    assert not Study.objects.filter(slug="copy").exists()


def test_the_restore_page_checks_the_csrf_token(alice, study, codings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("import-backup"), {"file": _upload(study), "slug": "copy"})
    assert response.status_code == 403


def _other_database(tmp_path):
    """Return (DATABASE_URL, cleanup) for a fresh database of the other kind than this run's."""
    if connection.vendor == "postgresql":
        return f"sqlite:///{tmp_path / 'moved.sqlite3'}", lambda: None
    import psycopg

    name = f"coprod_move_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as pg:
            pg.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL must answer at {POSTGRES} in CI: {error}")
        pytest.skip(f"no PostgreSQL at {POSTGRES}: {error}")

    def drop():
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as pg:
            pg.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return f"{POSTGRES}/{name}", drop


def test_it_moves_a_study_to_the_other_database_losing_nothing(tmp_path, study, codings):
    exported, moved = tmp_path / "exported.json", tmp_path / "moved.json"
    call_command("export_study", "pilot", str(exported), stdout=io.StringIO())
    url, drop = _other_database(tmp_path)
    env = {**os.environ, "DATABASE_URL": url}
    try:
        for command in (
            ["migrate", "--no-input", "-v", "0"],
            ["import_study", str(exported)],
            ["export_study", "pilot", str(moved)],
        ):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    finally:
        drop()
    before = json.loads(exported.read_text(encoding="utf-8"))
    after = json.loads(moved.read_text(encoding="utf-8"))
    for table_before, table_after in zip(before["tables"], after["tables"], strict=True):
        assert table_before == table_after, table_before["model"]
    assert before == after


def _restored_version_and_codebook(backup_document, slug):
    restored = restore_study(backup_document, slug)
    version = restored.codebook_versions.get()
    return version.snapshot, snapshot_codebook(restored), restored


def test_a_frozen_version_names_the_restored_codes(study, codes, alice):
    freeze_version(study, alice, "before renaming")
    edit_code(codes["identity"], alice, 1, name="Identity work of managers")
    delete_code(codes["inhibitor"], alice)
    frozen, current, restored = _restored_version_and_codebook(dump_study(study), "copy")
    restored_ids = {entry["path"]: entry["id"] for entry in current}
    assert {entry["path"]: entry["id"] for entry in frozen} == {
        "Theoretical lenses": restored_ids["Theoretical lenses"],
        "Theoretical lenses/Sensemaking": restored_ids["Theoretical lenses/Sensemaking"],
        "Theoretical lenses/Identity work": restored_ids[
            "Theoretical lenses/Identity work of managers"
        ],
        "Inhibitor": None,  # deleted after the version was frozen
    }
    # Compared in the restored study, the renamed code is one changed row, as in the original.
    rows = {
        row["new"]["path"]: row["status"]
        for row in compare_snapshots(frozen, current)
        if row["new"]
    }
    assert rows["Theoretical lenses/Identity work of managers"] == "changed"


def test_a_backup_of_version_1_restores_its_frozen_versions_without_foreign_keys(
    study, codes, alice
):
    freeze_version(study, alice, "v1")
    document = dump_study(study)
    document["version"] = 1
    table = next(t for t in document["tables"] if t["model"] == "codebook.CodebookVersion")
    snapshot = table["fields"].index("snapshot")
    # Version 1 files carried the keys of the database they came from.
    table["rows"][0][snapshot] = snapshot_codebook(study)
    frozen, _, _ = _restored_version_and_codebook(document, "copy")
    assert {entry["id"] for entry in frozen} == {None}
    assert len(frozen) == 4
