"""Backups and exports read the study as it was when they began, while coders go on working.

Each test lets another coder create a code and code with it half-way through a
download, on another connection that commits, as a second request would. The
download must neither fail nor mix the two moments: it holds what was there
when it began, and a download started afterwards holds the new rows.
"""

import io
import json
import threading
import zipfile

import pytest
from django.db import connections
from django.urls import reverse

from codebook.exchange import coding_rows as coding_rows_module
from codebook.exchange import qdpx_study
from codebook.exchange.backup import dump_study, iter_backup, read_backup, restore_study
from codebook.exchange.snapshot import read_snapshot, shared_snapshot
from codebook.models import Code, Coding
from tests.exchange_data import fill_study

pytestmark = pytest.mark.django_db(transaction=True)

NEW_CODE = "Learning from citizens"


@pytest.fixture
def codings(study, interview, codes, make_coding, alice, sam, bob, carol):
    return fill_study(study, interview, codes, make_coding, alice, sam, bob, carol)


def _meanwhile(work) -> None:
    """Run ``work`` in another thread, on its own connection, committed when it returns."""
    failures = []

    def run():
        try:
            work()
        except BaseException as error:  # raised again in the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def _another_coder_codes_with_a_new_code(study, interview, coder):
    def work():
        code = Code.objects.create(study=study, name=NEW_CODE)
        Coding.objects.create(
            interview=interview, code=code, coder=coder, start=0, end=4, quote=interview.text[:4]
        )

    _meanwhile(work)


def test_a_backup_holds_the_moment_it_began(study, interview, codings, bob):
    before = dump_study(study)
    pieces = iter_backup(study)
    text = ""
    # Read up to the codings' table: the codes are already written out.
    while '"model": "codebook.Coding"' not in text:
        text += next(pieces)
    _another_coder_codes_with_a_new_code(study, interview, bob)
    text += "".join(pieces)

    data = json.loads(text)
    assert data == before
    restored = restore_study(read_backup(io.StringIO(text)), slug="copy")
    assert not Code.objects.filter(study=restored, name=NEW_CODE).exists()
    assert Coding.objects.filter(interview__study=restored).count() == len(codings)
    # A backup begun afterwards has them.
    assert NEW_CODE in json.dumps(dump_study(study), ensure_ascii=False)


def test_a_backup_download_holds_the_moment_it_began(client, alice, study, interview, codings, bob):
    client.force_login(alice)
    response = client.get(reverse("export-backup", args=["pilot"]))
    pieces = iter(response.streaming_content)
    text = ""
    while '"model": "codebook.Coding"' not in text:
        text += next(pieces).decode()
    _another_coder_codes_with_a_new_code(study, interview, bob)
    text += b"".join(pieces).decode()
    response.close()

    assert NEW_CODE not in text
    assert len(json.loads(text)["tables"]) == len(dump_study(study)["tables"])


def test_the_coded_segments_csv_holds_the_moment_it_began(
    monkeypatch, client, alice, study, interview, codings, bob
):
    # The export reads codes, turns and coders first, then the codings interview by
    # interview: let the other coder work just after the codes were read.
    build_paths = coding_rows_module.build_paths

    def codes_read(codes):
        _another_coder_codes_with_a_new_code(study, interview, bob)
        return build_paths(codes)

    monkeypatch.setattr(coding_rows_module, "build_paths", codes_read)
    client.force_login(alice)
    response = client.get(reverse("export-codings", args=["pilot"]))
    text = b"".join(response.streaming_content).decode()
    response.close()

    lines = text.splitlines()
    assert len(lines) == 1 + len(codings)
    assert NEW_CODE not in text

    monkeypatch.setattr(coding_rows_module, "build_paths", build_paths)
    response = client.get(reverse("export-codings", args=["pilot"]))
    assert NEW_CODE in b"".join(response.streaming_content).decode()


def test_the_refi_qda_project_holds_the_moment_it_began(
    monkeypatch, client, sam, study, interview, codings, bob
):
    # The project reads its users and memos, then the codes, then the codings.
    make_guid = qdpx_study.qdpx.make_guid
    done = []

    def guid(*parts):
        if "memo" in parts and not done:
            done.append(True)
            _another_coder_codes_with_a_new_code(study, interview, bob)
        return make_guid(*parts)

    monkeypatch.setattr(qdpx_study.qdpx, "make_guid", guid)
    client.force_login(sam)
    response = client.get(reverse("export-qdpx", args=["pilot"]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # written as it is sent
    assert done
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        project = archive.read("project.qde").decode()
    assert NEW_CODE not in project
    assert project.count("<Coding ") == len(codings)


def test_a_second_connection_reads_the_same_moment(study, interview, codings, bob):
    """The CSV export's reader thread shares the snapshot of the request's connection."""
    counted = []
    with read_snapshot() as token:
        before = Coding.objects.filter(interview__study=study).count()
        _another_coder_codes_with_a_new_code(study, interview, bob)
        if token is not None:  # PostgreSQL: the view can be shared

            def count():
                with shared_snapshot(token):
                    counted.append(Coding.objects.filter(interview__study=study).count())

            _meanwhile(count)
            assert counted == [before]
        assert Coding.objects.filter(interview__study=study).count() == before
    assert Coding.objects.filter(interview__study=study).count() == before + 1


def test_a_snapshot_does_not_hold_up_writers(study, interview, codings, bob):
    # On SQLite a read transaction begun IMMEDIATE would make this writer wait 20 s and fail.
    with read_snapshot():
        Code.objects.filter(study=study).count()
        _another_coder_codes_with_a_new_code(study, interview, bob)
    assert Code.objects.filter(study=study, name=NEW_CODE).exists()


def test_inside_a_transaction_the_snapshot_is_that_transactions_view(study):
    from django.db import transaction

    with transaction.atomic(), read_snapshot() as token:
        assert token is None
        Code.objects.create(study=study, name="Seen by its own transaction")
        assert Code.objects.filter(name="Seen by its own transaction").exists()
