"""The coded-segment CSV from the study page, the interview page and the shell."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse

from codebook.exchange import coding_rows
from codebook.exchange.coding_rows import OWN_COLUMNS
from codebook.exchange.codings_csv import CODING_COLUMNS, own_cells_text
from codebook.exchange.csv_sql import own_cells
from codebook.models import Coding
from codebook.selection import filter_codings
from interviews.models import Interview, Role
from tests.exchange_data import fill_study


@pytest.fixture
def codings(study, interview, codes, make_coding, alice, sam, bob, carol):
    return fill_study(study, interview, codes, make_coding, alice, sam, bob, carol)


def _records(content: bytes) -> list[dict]:
    text = content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _download(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("export-codings", args=["pilot"]) + query)
    assert response.status_code == 200, response.content[:500]
    return response


def test_it_gives_every_coding_with_offsets_that_slice_the_stored_text(
    client, alice, interview, codings
):
    response = _download(client, alice)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="pilot-codings.csv"' in response["Content-Disposition"]
    records = _records(b"".join(response.streaming_content))
    assert len(records) == len(codings)
    texts = {"Manager A, first interview": interview.text, "Manager B": codings[
        "bob_second"].interview.text}  # fmt: skip
    for record in records:
        text = texts[record["interview"]]
        assert text[int(record["start"]) : int(record["end"])] == record["quote"]
    emoji = next(r for r in records if "🙂" in r["quote"])
    assert emoji["quote"] == "a “rôle” change for me 🙂"
    assert emoji["coder"] == "bob"


def test_it_fills_every_column_of_a_coding(client, alice, codings):
    records = _records(b"".join(_download(client, alice).streaming_content))
    assert list(records[0]) == [*CODING_COLUMNS, "attr:sector", "attr:years"]
    coding = codings["carol_doors"]
    record = next(r for r in records if r["quote"] == "My job became opening doors.")
    assert record == {
        "study": "Co-production pilot",
        "interview": "Manager A, first interview",
        "participant": "Manager A",
        "speaker": "Manager A",
        "turn_start_time": "00:01:47",
        "coder": "carol",
        "code": "Sensemaking",
        "code_path": "Theoretical lenses/Sensemaking",
        "parent_code": "Theoretical lenses",
        "start": str(coding.start),
        "end": str(coding.end),
        "quote": "My job became opening doors.",
        "memo": "",
        "origin": "manual",
        "created": coding.created.isoformat(timespec="microseconds"),
        "updated": coding.updated.isoformat(timespec="microseconds"),
        "attr:sector": "Care",
        "attr:years": "12",
    }


def test_it_writes_dates_as_iso_8601_in_utc_with_microseconds(client, alice, codings):
    Coding.objects.filter(pk=codings["carol_doors"].pk).update(
        created=datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    )
    records = _records(b"".join(_download(client, alice).streaming_content))
    record = next(r for r in records if r["quote"] == "My job became opening doors.")
    assert record["created"] == "2026-03-01T09:30:00.000000+00:00"


def test_it_shows_a_blind_coder_only_their_own_codings(client, bob, codings):
    records = _records(b"".join(_download(client, bob).streaming_content))
    assert {r["coder"] for r in records} == {"bob"}
    assert len(records) == 3


def test_it_shows_a_coder_everyone_once_coding_is_no_longer_blind(client, bob, study, codings):
    study.blind_coding = False
    study.save()
    records = _records(b"".join(_download(client, bob).streaming_content))
    assert {r["coder"] for r in records} == {"bob", "carol", "sam"}


def test_it_exports_only_the_consensus_layer_when_asked(client, sam, codings):
    records = _records(b"".join(_download(client, sam, "?layer=consensus").streaming_content))
    assert [(r["coder"], r["origin"]) for r in records] == [("sam", "consensus")]


def test_it_keeps_the_consensus_layer_from_a_blind_coder(study, bob, codings):
    assert not filter_codings(study, bob, Role.CODER, layer="consensus").exists()


def test_it_selects_a_code_with_its_sub_codes(client, alice, codes, codings):
    query = f"?code={codes['lenses'].pk}"
    records = _records(b"".join(_download(client, alice, query).streaming_content))
    assert {r["code"] for r in records} == {"Sensemaking", "Identity work"}
    assert len(records) == 3


def test_it_selects_coders_and_interviews(client, alice, bob, interview, codings):
    query = f"?coder={bob.pk}&interview={interview.pk}"
    records = _records(b"".join(_download(client, alice, query).streaming_content))
    assert sorted(r["quote"] for r in records) == [
        "The budget was tight",
        "a “rôle” change for me 🙂",
    ]


def test_it_neutralises_formulas_and_adds_a_bom_for_excel(client, alice, codings):
    content = b"".join(_download(client, alice, "?excel=on").streaming_content)
    assert content.startswith("\ufeff".encode())
    memos = {r["memo"] for r in _records(content)}
    assert "'=SUM(A1) money" in memos


def test_it_explains_a_filter_it_cannot_use(client, alice, codings):
    client.force_login(alice)
    response = client.get(reverse("export-codings", args=["pilot"]) + "?code=999999")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_it_reads_codings_in_a_fixed_number_of_queries(
    client, alice, codings, django_assert_max_num_queries
):
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("export-codings", args=["pilot"]))
        b"".join(response.streaming_content)


@pytest.mark.parametrize("name", ["export-codings", "export-matrix", "export"])
def test_it_hides_the_study_from_strangers(client, charlie, codings, name):
    client.force_login(charlie)
    assert client.get(reverse(name, args=["pilot"])).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, codings):
    response = client.get(reverse("export-codings", args=["pilot"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_counts_codes_by_interview(client, alice, codings):
    client.force_login(alice)
    response = client.get(reverse("export-matrix", args=["pilot"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["code", "Manager A, first interview", "Manager B", "total"]
    assert ["Inhibitor", "3", "0", "3"] in rows
    assert ["Theoretical lenses/Sensemaking", "1", "1", "2"] in rows
    assert rows[-1] == ["total", "5", "1", "6"]


def test_it_offers_the_export_buttons_on_the_study_and_interview_pages(
    client, alice, vic, interview, codings
):
    client.force_login(alice)
    page = client.get(reverse("study-detail", args=["pilot"])).content.decode()
    assert reverse("export-codings", args=["pilot"]) in page
    assert reverse("export-backup", args=["pilot"]) in page
    workbench = client.get(interview.get_absolute_url()).content.decode()
    assert f"{reverse('export-codings', args=['pilot'])}?interview={interview.pk}" in workbench
    client.force_login(vic)
    page = client.get(reverse("study-detail", args=["pilot"])).content.decode()
    assert reverse("export-codings", args=["pilot"]) in page
    assert reverse("export-backup", args=["pilot"]) not in page
    assert reverse("export-qdpx", args=["pilot"]) not in page


def test_it_shows_the_filter_form_with_labels(client, alice, codings):
    client.force_login(alice)
    page = client.get(reverse("export", args=["pilot"])).content.decode()
    for label in ("Codes (with their sub-codes)", "Coders", "Interviews", "Layer"):
        assert f">{label}" in page


def test_the_command_writes_the_same_rows_with_filters(tmp_path, codings):
    output = tmp_path / "codings.csv"
    call_command(
        "export_codings", "pilot", "--output", str(output), "--code", "Inhibitor",
        "--coder", "bob", "--coder", "carol",
    )  # fmt: skip
    records = _records(output.read_bytes())
    assert sorted(r["coder"] for r in records) == ["bob", "carol"]
    assert {r["code_path"] for r in records} == {"Inhibitor"}


def test_the_command_exports_the_consensus_layer_for_excel(tmp_path, codings):
    output = tmp_path / "codings.csv"
    call_command(
        "export_codings", "pilot", "-o", str(output), "--layer", "consensus", "--excel",
        "--interview", "Manager A, first interview",
    )  # fmt: skip
    content = output.read_bytes()
    assert content.startswith("\ufeff".encode())
    assert [r["origin"] for r in _records(content)] == ["consensus"]


def test_the_command_writes_to_standard_output(codings):
    out = io.StringIO()
    call_command(
        "export_codings", "pilot", "--code", "Theoretical lenses/Identity work", stdout=out
    )
    assert [r["code"] for r in _records(out.getvalue().encode())] == ["Identity work"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--code", "Nope"], "is not a code"),
        (["--coder", "zed"], "No such coder"),
        (["--interview", "Nope"], "No such interview"),
    ],
)
def test_the_command_names_what_it_cannot_find(codings, option, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_codings", "pilot", *option, stdout=io.StringIO())


def test_the_command_names_an_unknown_study(db):
    with pytest.raises(CommandError, match="No study “nope”"):
        call_command("export_codings", "nope")


# Texts the csv module quotes (comma, double quote, CR, LF), that Excel would run as a
# formula, and plain ones; as memos (free text) and as coded passages of a transcript.
AWKWARD = ['a,b', 'said "no"', "two\nlines", "cr\ronly", "crlf\r\n", "", " ", "=SUM(A1)",
           "-1", "+x", "@me", "\ttab", "rôle 🙂", "plain"]  # fmt: skip
AWKWARD_TEXT = '=x, "quoted" -minus\n@at\ttab +plus rôle 🙂 plain'


@pytest.mark.parametrize("excel", [False, True])
def test_the_database_writes_a_codings_own_cells_as_the_csv_module_does(excel, study, codes, bob):
    interview = Interview.objects.create(study=study, title="Awkward", text=AWKWARD_TEXT)
    text = interview.text
    spans = [(start, end) for start in range(len(text)) for end in (start + 1, start + 4)]
    for number, (start, end) in enumerate(span for span in spans if span[1] <= len(text)):
        Coding.objects.create(
            interview=interview, code=codes["sensemaking"], coder=bob, start=start, end=end,
            quote=text[start:end], memo=AWKWARD[number % len(AWKWARD)],
        )  # fmt: skip
    first = Coding.objects.filter(interview=interview).order_by("pk").first()
    Coding.objects.filter(pk=first.pk).update(
        created=datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)  # no microseconds
    )
    vendor = connection.vendor
    rows = (
        Coding.objects.filter(interview=interview)
        .annotate(text=own_cells(vendor, excel=excel))
        .values_list("text", *OWN_COLUMNS)
    )
    assert len(rows) > 2 * len(AWKWARD)
    for written, *values in rows:
        values[-2:] = [value.isoformat(timespec="microseconds") for value in values[-2:]]
        assert written == own_cells_text(values, excel=excel), values


@pytest.mark.parametrize("excel", [[], ["--excel"]])
def test_the_export_is_the_same_when_python_writes_every_cell(
    excel, tmp_path, monkeypatch, codings
):
    def export(name):
        path = tmp_path / name
        call_command("export_codings", "pilot", "--output", str(path), *excel)
        return path.read_bytes()

    by_the_database = export("sql.csv")
    monkeypatch.setattr(coding_rows, "writes_csv", lambda vendor: False)
    assert export("python.csv") == by_the_database
