import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from codebook.models import AnchorStatus, Coding
from tests.conftest import passage_of

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert response["Content-Type"].startswith("text/csv")
    content = response.streaming_content if response.streaming else [response.content]
    return list(csv.DictReader(io.StringIO(b"".join(content).decode())))


def test_the_table_csv_has_a_row_per_code_group_and_all(client, coded, study, sam, bob, carol):
    client.force_login(sam)
    url = reverse("agreement-table-csv", args=[study.slug])
    response = client.get(url + f"?coders={bob.pk}&coders={carol.pk}&unit=turn")
    assert "attachment" in response["Content-Disposition"]
    rows = {row["row"]: row for row in rows_of(response)}
    assert set(rows) == {
        "Inhibitor",
        "Theoretical lenses/Identity work",
        "Theoretical lenses/Sensemaking",
        "Theoretical lenses",
        "All codes",
    }
    identity = rows["Theoretical lenses/Identity work"]
    assert identity["percent_agreement"] == "1.0000"
    assert identity["alpha"] == ""
    assert identity["alpha_undefined_because"].startswith("no variation")
    assert rows["Theoretical lenses"]["kind"] == "group"


def test_the_unit_csv_is_sent_as_it_is_written(client, coded, study, sam, bob, carol):
    # A large study's file has millions of rows (units × codes): held whole, it took
    # gigabytes of the server's memory before the first byte left.
    client.force_login(sam)
    url = reverse("agreement-units-csv", args=[study.slug])
    response = client.get(url + f"?coders={bob.pk}&coders={carol.pk}&unit=sentence")
    assert response.streaming
    assert len(rows_of(response)) > 0


def test_the_unit_csv_has_each_coders_decision_per_turn(client, coded, study, sam, bob, carol):
    client.force_login(sam)
    url = reverse("agreement-units-csv", args=[study.slug])
    # carol's inhibitor covers a third of the second turn: under 0.5, over 0.3.
    query = f"?coders={bob.pk}&coders={carol.pk}&unit=turn&threshold="
    assert {row["carol"] for row in rows_of(client.get(url + query + "0.5"))} == {"0"}
    rows = rows_of(client.get(url + query + "0.3"))
    inhibitor = [row for row in rows if row["code"] == "Inhibitor"]
    # The interviewer's two questions are left out by default.
    assert [(row["bob"], row["carol"]) for row in inhibitor] == [("0", "1"), ("0", "0")]


def test_the_interviewers_turns_count_when_asked(client, coded, study, sam, bob, carol):
    client.force_login(sam)
    url = reverse("agreement-units-csv", args=[study.slug])
    query = f"?coders={bob.pk}&coders={carol.pk}&unit=turn&interviewer=on"
    rows = [row for row in rows_of(client.get(url + query)) if row["code"] == "Inhibitor"]
    assert len(rows) == coded.turns.count() == 4


def test_the_unit_csv_lists_the_codings_on_the_continuum(client, coded, study, sam, bob, carol):
    client.force_login(sam)
    url = reverse("agreement-units-csv", args=[study.slug])
    rows = rows_of(client.get(url + f"?coders={bob.pk}&coders={carol.pk}&unit=character"))
    assert len(rows) == 5
    assert {row["coder"] for row in rows} == {"bob", "carol"}


def test_the_command_prints_csv(coded, bob, carol, capsys):
    call_command("agreement", "pilot", "--coders", "bob,carol", "--unit", "turn", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[-1]["row"] == "All codes"
    assert rows[-1]["unit"] == "turn"


def test_the_command_prints_json_for_chosen_codes(coded, bob, carol, capsys):
    call_command(
        "agreement",
        "pilot",
        "--coders",
        "bob,carol",
        "--unit",
        "character",
        "--format",
        "json",
        "--codes",
        "Theoretical lenses/Sensemaking",
        "--threshold",
        "0.5",
    )
    data = json.loads(capsys.readouterr().out)
    assert [row["row"] for row in data["rows"]] == ["Theoretical lenses/Sensemaking", "All codes"]
    assert data["coders"] == ["bob", "carol"]
    assert 0 < data["rows"][0]["percent_agreement"]["value"] < 1


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["nowhere", "--coders", "bob,carol"], "No study"),
        (["pilot", "--coders", "bob"], "two or more coders"),
        (["pilot", "--coders", "bob,nobody"], "No user named 'nobody'"),
        (["pilot", "--coders", "bob,carol", "--codes", "Nope"], "No such codes: Nope"),
        (["pilot", "--coders", "bob,carol", "--threshold", "2"], "threshold"),
    ],
)
def test_the_command_explains_bad_input(coded, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("agreement", *arguments)


def test_sentence_units_leave_out_the_interviewers_questions(client, coded, study, sam, bob, carol):
    client.force_login(sam)
    url = reverse("agreement-units-csv", args=[study.slug])
    rows = rows_of(client.get(url + f"?coders={bob.pk}&coders={carol.pk}&unit=sentence"))
    questions = [(t.start, t.end) for t in coded.turns.filter(speaker_role="interviewer")]
    starts = {int(row["start"]) for row in rows}
    assert starts
    assert not any(s <= start < e for start in starts for s, e in questions)
    assert (
        passage_of(coded.text, "The budget was tight, and the targets did not help.")[0] in starts
    )


def test_a_lost_coding_counts_as_not_coded(client, coded, study, sam, bob, carol):
    url = reverse("agreement-units-csv", args=[study.slug])
    query = f"?coders={bob.pk}&coders={carol.pk}&unit=sentence&codes={_identity(study)}"
    client.force_login(sam)

    def coded_by_bob():
        return sum(int(row["bob"]) for row in rows_of(client.get(url + query)))

    assert coded_by_bob() == 1
    Coding.objects.filter(coder=bob, code__name="Identity work").update(
        anchor_status=AnchorStatus.LOST
    )
    assert coded_by_bob() == 0


def _identity(study):
    return study.codes.get(name="Identity work").pk
