"""Deleting codings, an interview or a whole study is left to the database's foreign keys.

Django's own cascade loaded every coding and set the accepted suggestions' link
to null in one UPDATE listing every coding: with a million codings SQLite
refused it ("too many SQL variables"), and a study could not be deleted at all
(its codes and participants were protected). The tests lower SQLite's variable
limit to see the first at a small scale, and count queries on both databases.
"""

import sqlite3

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from codebook.exchange.backup import BACKUP_TABLES, dump_study
from codebook.models import Code, Coding, Settlement, Suggestion, SuggestionRun
from codebook.reliability.settle import settle_disagreement
from interviews.models import Interview, Participant, Study
from tests.conftest import BOB_SENSEMAKING, passage_of
from tests.exchange_data import fill_study

CODINGS = 120


def _many_codings(interview, code, coder, count=CODINGS):
    """``count`` codings of one word-or-so each, every one an accepted suggestion."""
    text = interview.text
    codings = Coding.objects.bulk_create(
        Coding(interview=interview, code=code, coder=coder, start=start, end=start + 3,
               quote=text[start : start + 3])
        for start in range(count)
    )  # fmt: skip
    run = SuggestionRun.objects.create(
        study=interview.study, interview=interview, suggester="terms", coder=coder, status="done"
    )
    Suggestion.objects.bulk_create(
        Suggestion(interview=interview, code=code, coder=coder, start=coding.start,
                   end=coding.end, score=0.5, suggester="terms", model_version="test",
                   status="accepted", decided=timezone.now(), coding=coding, run=run)
        for coding in codings
    )  # fmt: skip
    return codings


def _settled(interview, codes, bob, carol, sam, make_coding):
    make_coding(interview, codes["sensemaking"], bob, BOB_SENSEMAKING)
    return settle_disagreement(
        interview=interview,
        code=codes["sensemaking"],
        span=passage_of(interview.text, BOB_SENSEMAKING),
        unit="character",
        coders=[bob.pk, carol.pk],
        user=sam,
        choice="both",
    )


def _constraints_hold():
    """Check the deferred foreign keys now: the test's transaction never commits."""
    connection.check_constraints()


@pytest.fixture
def sqlite_with_few_variables(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's limit on query variables")
    connection.ensure_connection()
    raw = connection.connection
    before = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, CODINGS // 3)
    yield
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def test_deleting_more_codings_than_sqlite_has_variables(
    sqlite_with_few_variables, interview, codes, bob, carol, sam, make_coding
):
    _many_codings(interview, codes["sensemaking"], bob)
    settlement = _settled(interview, codes, bob, carol, sam, make_coding)
    assert Coding.objects.count() > CODINGS
    Coding.objects.filter(interview__study=interview.study).delete()
    _constraints_hold()
    assert not Coding.objects.exists()
    assert Suggestion.objects.count() == CODINGS
    assert not Suggestion.objects.filter(coding__isnull=False).exists()
    # The database's trigger reopened them: their codings are gone, not accepted.
    assert set(Suggestion.objects.values_list("status", "decided")) == {("open", None)}
    assert not settlement.consensus_codings.exists()


def test_deleting_codings_takes_the_same_few_queries_however_many(
    interview, codes, bob, django_assert_max_num_queries
):
    _many_codings(interview, codes["sensemaking"], bob)
    with django_assert_max_num_queries(2):
        deleted, _ = Coding.objects.filter(interview=interview).delete()
    _constraints_hold()
    assert deleted == CODINGS
    assert set(Suggestion.objects.values_list("coding", "status")) == {(None, "open")}


def test_deleting_a_coding_unlinks_its_suggestion_and_its_settlement(
    interview, codes, bob, carol, sam, make_coding
):
    coding = _many_codings(interview, codes["identity"], carol, count=1)[0]
    settlement = _settled(interview, codes, bob, carol, sam, make_coding)
    consensus = settlement.consensus_codings.get()
    coding.delete()
    consensus.delete()
    _constraints_hold()
    assert Suggestion.objects.get().coding is None
    assert Settlement.objects.get() == settlement
    assert not settlement.consensus_codings.exists()


@pytest.fixture
def two_studies(study, interview, codes, make_coding, alice, sam, bob, carol):
    """The pilot study with a bit of everything, and another study that must stay whole."""
    fill_study(study, interview, codes, make_coding, alice, sam, bob, carol)
    _many_codings(interview, codes["identity"], carol)
    _settled(interview, codes, bob, carol, sam, make_coding)
    other = Study.objects.create(title="Other", slug="other")
    other_code = Code.objects.create(study=other, name="Theme")
    child = Code.objects.create(study=other, parent=other_code, name="Sub-theme")
    other_interview = Interview.objects.create(
        study=other,
        participant=Participant.objects.create(study=other, label="P"),
        title="Other interview",
        text="Something else entirely was said.",
    )
    make_coding(other_interview, child, bob, "else entirely")
    return study, other


def test_deleting_a_study_deletes_every_row_of_it_and_nothing_else(
    two_studies, django_assert_max_num_queries
):
    study, other = two_studies
    other_before = dump_study(other)
    rows = {table.label: table.model._default_manager.filter(**{table.study_lookup: study.pk})
            for table in BACKUP_TABLES}  # fmt: skip
    assert rows["codebook.Coding"].count() > CODINGS
    assert rows["codebook.SettlementCoding"].exists()
    with django_assert_max_num_queries(3):
        study.delete()
    _constraints_hold()
    assert {label: query.count() for label, query in rows.items()} == dict.fromkeys(rows, 0)
    assert dump_study(other) == other_before


def test_deleting_an_interview_deletes_its_codings_turns_and_suggestions(
    two_studies, interview, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        interview.delete()
    _constraints_hold()
    assert not Coding.objects.filter(interview__study__slug="pilot", interview=interview.pk)
    assert not Suggestion.objects.filter(interview=interview.pk).exists()
    assert Coding.objects.filter(interview__study__slug="other").count() == 1


@pytest.mark.parametrize(
    "delete",
    [
        pytest.param(lambda rows: rows["participant"].delete(), id="a participant's interviews"),
        pytest.param(lambda rows: rows["bob"].delete(), id="a coder's codings"),
        pytest.param(
            lambda rows: Code.objects.filter(pk=rows["code"].pk).delete(), id="a code's codings"
        ),
        pytest.param(
            lambda rows: Code.objects.filter(pk=rows["parent"].pk).delete(), id="a code's children"
        ),
    ],
)
def test_the_database_still_refuses_to_orphan(delete, interview, codes, bob, make_coding):
    make_coding(interview, codes["sensemaking"], bob, BOB_SENSEMAKING)
    rows = {
        "participant": interview.participant,
        "bob": bob,
        "code": codes["sensemaking"],
        "parent": codes["lenses"],
    }
    kept = {name: (type(row), row.pk) for name, row in rows.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        delete(rows)
        _constraints_hold()
    for model, pk in kept.values():
        assert model.objects.filter(pk=pk).exists()
    assert Coding.objects.count() == 1


@pytest.mark.parametrize(
    ("admin_url", "row"),
    [
        ("admin:interviews_participant_delete", lambda rows: rows["participant"]),
        ("admin:codebook_code_delete", lambda rows: rows["code"]),
        ("admin:auth_user_delete", lambda rows: rows["bob"]),
    ],
)
def test_the_admin_names_the_rows_that_block_a_delete_and_deletes_nothing(
    admin_url, row, admin_client, interview, codes, bob, make_coding
):
    coding = make_coding(interview, codes["sensemaking"], bob, BOB_SENSEMAKING)
    rows = {"participant": interview.participant, "code": codes["sensemaking"], "bob": bob}
    target = row(rows)
    response = admin_client.post(reverse(admin_url, args=[target.pk]), {"post": "yes"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "protected" in page
    blocking = interview if admin_url.endswith("participant_delete") else coding
    assert escape(str(blocking)) in page
    assert type(target).objects.filter(pk=target.pk).exists()


def test_the_admin_deletes_a_code_nothing_refers_to(admin_client, codes):
    url = reverse("admin:codebook_code_delete", args=[codes["identity"].pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Code.objects.filter(pk=codes["identity"].pk).exists()
