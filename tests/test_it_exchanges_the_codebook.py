"""Codebook CSV and REFI-QDA .qdc: round trips, schema validity, tolerant and refused imports."""

import csv
import io
from pathlib import Path

import pytest
import xmlschema

from codebook import tree
from codebook.exchange.codebook_csv import read_codebook_csv, write_codebook_csv
from codebook.exchange.entries import CodebookFileError
from codebook.exchange.importing import apply_import, plan_import
from codebook.exchange.qdc import read_qdc, write_qdc
from codebook.history import freeze_version, snapshot_codebook
from codebook.models import ChangeKind, Code, CodebookChange
from codebook.snapshots import ENTRY_FIELDS
from interviews.models import Study

SHARED = Path(__file__).resolve().parents[2] / "shared" / "refi-qda"


def shared_file(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.fail(f"{path} is missing: the shared REFI-QDA files must sit beside the repository")
    return path


@pytest.fixture
def rich_codebook(study, codes, alice):
    tree.edit_code(
        codes["sensemaking"],
        alice,
        1,
        definition="How people make sense of a change.\nSecond line, “quoted” – é 🙂.",
        inclusion="Talk about meaning",
        exclusion="Plain description",
        example="It was a rôle change for me",
        counter_example="The budget was tight",
        indicator_terms="make sense\nmeaning, purpose",
        notes="From Weick.",
    )
    return snapshot_codebook(study)


@pytest.fixture
def empty_study(alice):
    return Study.objects.create(title="Empty", slug="empty")


def test_it_round_trips_the_codebook_through_csv(rich_codebook, empty_study, alice):
    first = write_codebook_csv(rich_codebook)
    entries, warnings = read_codebook_csv(first)
    apply_import(empty_study, alice, entries, "a CSV file")
    assert warnings == []
    assert write_codebook_csv(snapshot_codebook(empty_study)) == first


def test_it_round_trips_the_codebook_through_qdc(rich_codebook, empty_study, alice):
    first = write_qdc(rich_codebook)
    entries, warnings = read_qdc(first)
    apply_import(empty_study, alice, entries, "a .qdc file")
    assert warnings == []
    assert write_qdc(snapshot_codebook(empty_study)) == first
    copied = Code.objects.get(study=empty_study, name="Sensemaking")
    assert copied.indicator_terms == "make sense\nmeaning, purpose"
    assert copied.shortcut == "1" and copied.notes == "From Weick."


def test_lines_that_look_like_section_headings_come_back_as_typed(study, codes, alice):
    tree.edit_code(
        codes["sensemaking"],
        alice,
        1,
        definition="How managers read change.\r\n[Inclusion criteria]\r\nas the guide puts it",
        inclusion="Talk of meaning.\n\\[Notes]\n[Typical example]",
    )
    entries, _ = read_qdc(write_qdc(snapshot_codebook(study)))
    sensemaking = next(entry for entry in entries if entry["name"] == "Sensemaking")
    assert {field: sensemaking[field] for field in ("definition", "inclusion")} == {
        "definition": "How managers read change.\n[Inclusion criteria]\nas the guide puts it",
        "inclusion": "Talk of meaning.\n\\[Notes]\n[Typical example]",
    }
    # Re-importing coprod's own file into the study it came from changes nothing.
    assert {row["status"] for row in plan_import(study, entries).rows} == {"same"}


def test_it_writes_a_qdc_that_the_schema_accepts(rich_codebook):
    schema = xmlschema.XMLSchema(shared_file("schemas/Codebook.xsd"))
    schema.validate(write_qdc(rich_codebook).decode())


def test_it_imports_the_shared_example_with_warnings(empty_study, alice):
    data = shared_file("examples/openqda-refi-tools/example_codebook.qdc").read_bytes()
    entries, warnings = read_qdc(data)
    apply_import(empty_study, alice, entries, "example_codebook.qdc")
    assert any("not GUIDs" in warning for warning in warnings)
    assert any("“/” separates paths" in warning for warning in warnings)
    top = Code.objects.get(study=empty_study, parent=None, name="Negativ∕Aufgeregt")
    assert top.definition == "All emotions with negative valence and positive arousal."
    assert top.colour == "#e57373"
    assert top.children.filter(name="Rage").exists()
    assert Code.objects.filter(study=empty_study).count() == len(entries)


def test_it_merges_by_path_and_previews_changes(study, codes, alice):
    entries = [
        {**e, "definition": "New definition"} if e["name"] == "Inhibitor" else e
        for e in snapshot_codebook(study)
    ]
    entries.append({**entries[-1], "path": "Enabler", "name": "Enabler", "shortcut": "4"})
    plan = plan_import(study, entries)
    assert plan.problems == []
    assert (plan.count("added"), plan.count("changed"), plan.count("same")) == (1, 1, 3)
    assert Code.objects.filter(study=study).count() == 4  # a plan changes nothing
    apply_import(study, alice, entries, "a CSV file")
    assert Code.objects.get(study=study, name="Inhibitor").definition == "New definition"
    assert CodebookChange.objects.filter(kind=ChangeKind.IMPORT).count() == 2


QUOTED = {
    "example": 'He said "yes" to it',
    "notes": '"Quoted" at the start\nand =SUM(1) on a line;\tof its own',
}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_quotation_marks_in_cells_come_back_as_written(delimiter):
    text = write_codebook_csv(
        [{"path": 'Say "as" practice', "name": 'Say "as" practice', **QUOTED}]
    )
    if delimiter != ",":
        # A spreadsheet saved in a locale that separates with another character.
        rows = list(csv.reader(io.StringIO(text)))
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter).writerows(rows)
        text = out.getvalue()
    (entry,), _ = read_codebook_csv(text)
    assert entry["path"] == 'Say "as" practice'
    assert {field: entry[field] for field in QUOTED} == QUOTED


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("path,weight\nA,1\n", "Unknown columns: weight"),
        ("path,name,parent path\nA,A,B\nB,B,A\n", "cycle"),
        ("name\nA\n", "no “path” column"),
        ("path,grouping-only\nA,perhaps\n", "grouping-only should be yes or no"),
        ("path,name,parent path\nA/B,C,A\nA,A,\n", "does not match"),
        ("path\nA/B\n", "is not in the file"),
        ("path\n", "no codes"),
    ],
)
def test_it_refuses_a_malformed_csv(text, message):
    with pytest.raises(CodebookFileError, match=message):
        read_codebook_csv(text)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<CodeBook><Codes><Code name='A'></Codes>", "not well-formed XML"),
        (b"<Project/>", "not a REFI-QDA CodeBook"),
        (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes/></CodeBook>", "no codes"),
    ],
)
def test_it_refuses_a_malformed_qdc(data, message):
    with pytest.raises(CodebookFileError, match=message):
        read_qdc(data)


def test_it_changes_nothing_when_an_import_is_refused(study, codes, alice):
    entries = snapshot_codebook(study)
    entries.append({**entries[-1], "path": "Enabler", "name": "Enabler", "colour": "red"})
    with pytest.raises(tree.TreeError, match="not a colour"):
        apply_import(study, alice, entries, "a CSV file")
    assert not Code.objects.filter(name="Enabler").exists()
    assert not CodebookChange.objects.exists()


def test_a_restructured_codebook_arrives_identical_in_a_new_study(
    study, interview, codes, sam, bob, make_coding, empty_study
):
    enabler = tree.add_code(study, sam, "Enabler", colour="#7ac143")
    coding = make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    effect = tree.add_code(study, sam, "Implementation effect", grouping_only=True)
    tree.move_code(enabler, sam, effect)
    tree.move_code(codes["inhibitor"], sam, effect)
    tree.merge_codes(codes["identity"], codes["sensemaking"], sam)
    tree.split_code(codes["inhibitor"], sam, [coding.pk], new_name="Budget")
    version = freeze_version(study, sam, "v2, after pilot coding")
    entries, warnings = read_qdc(write_qdc(snapshot_codebook(study)))
    apply_import(empty_study, sam, entries, "pilot.qdc")
    keep = ("path", "parent_path", *ENTRY_FIELDS)
    copied = [{k: e[k] for k in keep} for e in snapshot_codebook(empty_study)]
    assert copied == [{k: e[k] for k in keep} for e in version.snapshot]
    assert "Implementation effect/Budget" in [e["path"] for e in copied]


def test_a_definition_pasted_with_control_characters_still_exports(study, codes):
    Code.objects.filter(pk=codes["inhibitor"].pk).update(definition="Holds\x0cback\x01.")
    data = write_qdc(snapshot_codebook(study))
    entries, _ = read_qdc(data)
    inhibitor = next(entry for entry in entries if entry["name"] == "Inhibitor")
    assert inhibitor["definition"] == "Holds\nback."
