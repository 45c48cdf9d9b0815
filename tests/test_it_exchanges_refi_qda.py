"""REFI-QDA projects (.qdpx): a valid export, a tolerant import, refusals that leave nothing."""

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.urls import reverse
from lxml import etree

from codebook.exchange import qdpx
from codebook.exchange.qdpx_study import project_from_study, study_from_project, write_study_qdpx
from codebook.models import Code, Coding, Memo
from interviews.models import Interview, Participant, Study
from tests.exchange_data import fill_study

SHARED = Path(__file__).resolve().parents[2] / "shared"
REFI = SHARED / "refi-qda"
HAND_AUTHORED = REFI / "examples" / "qdpx-toolkit-hand-authored"
F4 = REFI / "examples" / "f4analyse" / "project.qde"


@pytest.fixture(scope="module")
def schema():
    path = REFI / "schemas" / "Project.xsd"
    if not path.exists():
        pytest.fail(
            f"The shared REFI-QDA files are missing: expected {path} beside the repository."
        )
    return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture
def codings(study, interview, codes, make_coding, alice, sam, bob, carol):
    return fill_study(study, interview, codes, make_coding, alice, sam, bob, carol)


def _archive(project) -> io.BytesIO:
    return io.BytesIO(qdpx.qdpx_bytes(project))


def _summary(project: qdpx.Project) -> dict:
    """What must survive a round trip, free of GUIDs and database ids."""
    users = {user.guid: user.name for user in project.users}
    paths = {}

    def walk(codes, prefix):
        for code in codes:
            path = prefix + code.name
            paths[code.guid] = path
            walk(code.children, path + "/")

    walk(project.codes, "")

    def flat(codes):
        for code in codes:
            yield (paths[code.guid], code.codable, code.color, code.description)
            yield from flat(code.children)

    notes = {note.guid: note for note in project.notes}
    variables = {variable.guid: variable.name for variable in project.variables}
    sources = {source.guid: source.name for source in project.sources}
    return {
        "users": sorted(users.values()),
        "codes": sorted(flat(project.codes)),
        "variables": sorted(variables.values()),
        "cases": sorted(
            (
                case.name,
                tuple(sorted((variables[g], v) for g, v in case.values.items())),
                tuple(sorted(sources[g] for g in case.source_refs)),
            )
            for case in project.cases
        ),
        "sources": sorted((source.name, source.text) for source in project.sources),
        "codings": sorted(
            (
                source.name,
                selection.start,
                selection.end,
                paths[coding.code_guid],
                users[coding.creating_user],
                tuple(notes[ref].text for ref in coding.note_refs),
            )
            for source in project.sources
            for selection in source.selections
            for coding in selection.codings
        ),
        "notes": sorted((note.name, note.text) for note in project.notes),
    }


def test_it_writes_a_project_that_validates_against_the_refi_qda_schema(
    schema, study, interview, codings
):
    # A dated interview: its date goes out as a Date variable's DateValue on its source.
    Interview.objects.filter(pk=interview.pk).update(date=datetime.date(2024, 5, 17))
    archive = zipfile.ZipFile(_archive(project_from_study(study)))
    names = archive.namelist()
    assert names[0] == "project.qde"
    assert sum(name.startswith("sources/") and name.endswith(".txt") for name in names) == 2
    document = etree.fromstring(archive.read("project.qde"))
    schema.assertValid(document)
    assert b"<DateValue>2024-05-17</DateValue>" in archive.read("project.qde")


def test_it_reads_codings_interview_by_interview_as_it_writes(
    django_assert_max_num_queries, study, interview, codes, codings, bob
):
    # Many codings more cost no query more: the file is written as the codings are read.
    many = len(interview.text) - 3
    Coding.objects.bulk_create(
        Coding(
            interview=interview,
            code=codes["sensemaking"],
            coder=bob,
            start=start,
            end=start + 3,
            quote=interview.text[start : start + 3],
            memo="why" if start % 2 else "",
        )
        for start in range(many)
    )
    output = io.BytesIO()
    interviews = study.interviews.count()
    # users, memos, codes, interviews, participants (and their attributes and interviews),
    # the coding memos, and one query per interview for its codings
    with django_assert_max_num_queries(8 + interviews):
        write_study_qdpx(study, output)
    document = etree.fromstring(zipfile.ZipFile(output).read("project.qde"))
    namespace = {"q": qdpx.NAMESPACE}
    assert len(document.findall(".//q:Coding", namespace)) == len(codings) + many
    memos = Memo.objects.filter(study=study).count()
    coding_memos = Coding.objects.filter(interview__study=study).exclude(memo="").count()
    assert coding_memos >= many // 2
    assert len(document.findall("q:Notes/q:Note", namespace)) == memos + coding_memos
    # Indented like a pretty-printed file, for a researcher who opens it.
    assert b"\n    <TextSource " in zipfile.ZipFile(output).read("project.qde")


def test_it_writes_each_transcript_as_utf8_text_that_positions_point_into(study, codings):
    project = project_from_study(study)
    archive = zipfile.ZipFile(_archive(project))
    for source in project.sources:
        text = archive.read(f"sources/{source.guid}.txt").decode("utf-8")
        assert not text.startswith("\ufeff")
        for selection in source.selections:
            assert selection.name.startswith(text[selection.start : selection.end][:80])
    emoji = codings["bob_rôle"]
    selection = next(
        s for source in project.sources for s in source.selections if s.start == emoji.start
    )
    assert selection.end - selection.start == len("a “rôle” change for me 🙂")


def test_it_carries_users_codes_cases_variables_and_notes(study, codings):
    summary = _summary(project_from_study(study))
    assert summary["users"] == ["alice", "bob", "carol", "sam", "vic"]
    assert ("Theoretical lenses", False, "#f2c94c", "") in summary["codes"]
    inhibitor = ("Inhibitor", True, "#f38ba0", "What holds work back.\n\n[Shortcut]\n3")
    assert inhibitor in summary["codes"]
    assert summary["variables"] == ["coprod:organisation", "coprod:role", "sector", "years"]
    assert summary["cases"][0][0] == "Manager A"
    assert ("Study memo", "Why we began.") in summary["notes"]
    assert len(summary["codings"]) == 6


def test_it_exports_the_same_project_after_importing_its_own(alice, study, codings):
    first = qdpx.read_qdpx(_archive(project_from_study(study))).project
    copy, warnings = study_from_project(first, "pilot-copy", alice)
    assert warnings == []
    second = qdpx.read_qdpx(_archive(project_from_study(copy))).project
    assert _summary(second) == _summary(first)
    assert Coding.objects.filter(interview__study=copy).count() == 6
    assert Memo.objects.filter(study=copy, interview__isnull=False).count() == 1
    assert Memo.objects.filter(study=copy, code__name="Inhibitor").count() == 1


def test_it_imports_the_hand_authored_example_with_its_text_codes_cases_and_variables(alice):
    result = qdpx.read_qdpx(HAND_AUTHORED / "project.qde")
    study, _ = study_from_project(result.project, "sample", alice)
    interview = Interview.objects.get(study=study)
    assert interview.title == "Interview 1.txt"
    assert interview.text == "Diet and health are closely linked in this interview."
    paths = sorted(code.path for code in Code.objects.filter(study=study))
    assert paths == ["Topics", "Topics/Health", "Topics/Health/Diet", "Topics/Wellbeing"]
    assert Code.objects.get(study=study, name="Topics").grouping_only
    quotes = sorted(Coding.objects.filter(interview=interview).values_list("quote", "code__name"))
    # Positions win over the fixture's own label "health are closely": 9 to 23 ends in "clo".
    assert quotes == [("Diet and health", "Health"), ("health are clo", "Diet")]
    assert set(Coding.objects.values_list("coder__username", flat=True)) == {"Researcher_A"}
    participant = Participant.objects.get(study=study)
    assert participant.label == "Participant 1"
    assert dict(participant.attributes.values_list("name", "value")) == {
        "Age": "34",
        "Consented": "true",
    }
    assert interview.participant == participant
    assert Memo.objects.get(study=study).text == "Remember to follow up on diet-related comments."


def test_two_variables_differing_only_in_case_become_one_attribute(alice):
    project = qdpx.read_qdpx(HAND_AUTHORED / "project.qde").project
    project.variables.append(qdpx.Variable(guid="age-again", name="AGE"))
    project.cases[0].values["age-again"] = "35"
    study, _ = study_from_project(project, "sample", alice)
    participant = Participant.objects.get(study=study)
    assert dict(participant.attributes.values_list("name", "value")) == {
        "Age": "34",
        "Consented": "true",
    }


def test_it_warns_about_what_it_cannot_hold(alice):
    warnings = qdpx.read_qdpx(HAND_AUTHORED / "project.qde").warnings
    assert any("“photo.jpg” is a PictureSource" in warning for warning in warnings)
    assert "1 link(s) not imported: coprod has none." in warnings


def test_it_refuses_the_f4_example_naming_its_missing_sources(alice):
    with pytest.raises(qdpx.QdpxError) as error:
        qdpx.read_qdpx(F4)
    assert "The text of source “Interview 60mins” is missing" in str(error.value)


def test_it_imports_the_f4_codes_and_notes_when_missing_sources_are_allowed(alice):
    result = qdpx.read_qdpx(F4, allow_missing_sources=True)
    missing = [w for w in result.warnings if "is missing: it was not imported" in w]
    assert len(missing) == 4
    study, _ = study_from_project(result.project, "f4", alice)
    code = Code.objects.get(study=study)
    assert (code.name, code.colour, code.definition) == (
        "Dies ist ein Test-Code",
        "#044B9B",
        "Dies ist der Kommentar vom Test-Code",
    )
    texts = set(Memo.objects.filter(study=study).values_list("text", flat=True))
    assert "Dies ist der Kommentar vom Test-Code" in texts
    assert "Dies ist ein Memo, angeheftet an ein Text-Snippet (das nicht codiert ist!)" in texts


def _qde(sources_xml: str, codes_xml: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Test" origin="tests">
  <CodeBook><Codes>
    <Code guid="{{20000000-0000-0000-0000-00000000000A}}" name="Care" isCodable="true"
          color="#abc"/>
    {codes_xml}
  </Codes></CodeBook>
  <Sources>{sources_xml}</Sources>
</Project>""".encode()


def _zip(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


SOURCE = """<TextSource guid="40000000-0000-0000-0000-000000000001" name="Talk"
  plainTextPath="internal://sources/40000000-0000-0000-0000-000000000001.txt">
  <PlainTextSelection guid="50000000-0000-0000-0000-000000000001"
                      startPosition="{start}" endPosition="{end}">
    <Coding guid="60000000-0000-0000-0000-000000000001"><CodeRef targetGUID="{code}"/></Coding>
  </PlainTextSelection>
</TextSource>"""
CARE = "20000000-0000-0000-0000-00000000000a"


def _source(start, end, code=CARE):
    return SOURCE.format(start=start, end=end, code=code)


def test_it_strips_a_byte_order_mark_and_moves_positions_past_windows_line_ends(alice):
    text = "\ufeffFirst line\r\nCafé 🙂 care\r\n"
    start = text.removeprefix("\ufeff").index("Café")
    archive = _zip(
        {
            "Project.QDE": _qde(_source(start, start + len("Café 🙂 care"))),
            "Sources/40000000-0000-0000-0000-000000000001.txt": text.encode("utf-8"),
        }
    )
    study, _ = study_from_project(qdpx.read_qdpx(archive).project, "bom", alice)
    coding = Coding.objects.get(interview__study=study)
    assert coding.interview.text == "First line\nCafé 🙂 care\n"
    assert coding.quote == "Café 🙂 care"
    assert coding.code.colour == "#aabbcc"


def test_it_counts_atlas_ti_line_breaks_as_one_character():
    text, length, move = qdpx.normalised_positions("ab\r\ncd", lines_count_once=True)
    assert (text, length, move(3)) == ("ab\ncd", 5, 3)
    text, length, move = qdpx.normalised_positions("ab\r\ncd", lines_count_once=False)
    assert (text, length, move(4)) == ("ab\ncd", 6, 3)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"project.qde": b"<Project name='x'><Sources>"}, "not well-formed XML"),
        ({"project.qde": _qde(_source(0, 4))}, "The text of source “Talk” is missing"),
        (
            {
                "project.qde": _qde(_source(2, 99)),
                "sources/40000000-0000-0000-0000-000000000001.txt": b"short text",
            },
            "runs from 2 to 99, outside the text (0 to 10)",
        ),
        (
            {
                "project.qde": _qde(_source(0, 4, code="{99999999-0000-0000-0000-000000000000}")),
                "sources/40000000-0000-0000-0000-000000000001.txt": b"short text",
            },
            "refers to a code that is not in the codebook",
        ),
        ({"project.qde": _qde(""), "../../etc/evil.txt": b"x"}, "unsafe path"),
        ({"project.qde": _qde(""), "/abs.txt": b"x"}, "unsafe path"),
        ({"a.qde": _qde(""), "b.qde": _qde("")}, "exactly one project file"),
    ],
)
def test_it_refuses_bad_archives_with_a_clear_message_and_makes_no_study(
    tmp_path, alice, files, message
):
    path = tmp_path / "bad.qdpx"
    path.write_bytes(_zip(files).getvalue())
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_qdpx", str(path), "--slug", "bad", "--owner", "alice")
    assert not Study.objects.filter(slug="bad").exists()


def test_it_leaves_no_half_made_study_when_the_database_refuses_a_row(
    monkeypatch, alice, study, codings
):
    project = qdpx.read_qdpx(_archive(project_from_study(study))).project
    project.sources[0].selections[0].end = 10**6  # past the text: the database trigger refuses
    with pytest.raises(DatabaseError):
        study_from_project(project, "half", alice)
    assert not Study.objects.filter(slug="half").exists()
    assert not Code.objects.filter(study__slug="half").exists()


def test_it_refuses_a_member_larger_than_allowed(monkeypatch, alice):
    monkeypatch.setattr(qdpx, "MAX_MEMBER_BYTES", 100)
    archive = _zip({"project.qde": _qde(""), "sources/big.txt": b"x" * 101})
    with pytest.raises(qdpx.QdpxError, match="more than the 100 allowed"):
        qdpx.read_qdpx(archive)


def test_it_refuses_something_that_is_not_a_zip(alice):
    with pytest.raises(qdpx.QdpxError, match="not a readable zip"):
        qdpx.read_qdpx(io.BytesIO(b"plain text"))


def test_the_commands_export_and_import_a_study(tmp_path, alice, study, codings):
    path = tmp_path / "pilot.qdpx"
    call_command("export_qdpx", "pilot", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_qdpx", str(path), "--slug", "again", "--owner", "alice", stdout=out)
    assert "Imported “again”: 2 interview(s), 4 code(s)." in out.getvalue()
    again = Study.objects.get(slug="again")
    assert again.role_of(alice) == "owner"
    assert Coding.objects.filter(interview__study=again).count() == 6


def test_the_import_command_refuses_a_slug_in_use(tmp_path, study, codings):
    path = tmp_path / "pilot.qdpx"
    call_command("export_qdpx", "pilot", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_qdpx", str(path), "--slug", "pilot", "--owner", "alice")


def test_supervisors_download_the_project_and_coders_may_not(client, sam, bob, codings):
    client.force_login(sam)
    response = client.get(reverse("export-qdpx", args=["pilot"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="pilot.qdpx"'
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip() is None
    client.force_login(bob)
    assert client.get(reverse("export-qdpx", args=["pilot"])).status_code == 403


def test_a_signed_in_user_imports_a_project_as_a_new_study_they_own(
    client, charlie, study, codings
):
    upload = _archive(project_from_study(study))
    upload.name = "pilot.qdpx"
    client.force_login(charlie)
    response = client.post(
        reverse("import-qdpx"), {"file": upload, "slug": "mine", "title": "My copy"}
    )
    assert response.status_code == 302
    mine = Study.objects.get(slug="mine")
    assert (mine.title, mine.role_of(charlie)) == ("My copy", "owner")


def test_the_import_page_shows_why_a_file_was_refused(client, charlie):
    upload = io.BytesIO(b"not a zip")
    upload.name = "x.qdpx"
    client.force_login(charlie)
    response = client.post(reverse("import-qdpx"), {"file": upload, "slug": "mine"})
    assert response.status_code == 200
    assert "not a readable zip file" in response.content.decode()
    assert not Study.objects.filter(slug="mine").exists()


@pytest.mark.parametrize("name", ["import-qdpx", "import-backup"])
def test_the_import_pages_label_every_control(client, charlie, name):
    client.force_login(charlie)
    page = client.get(reverse(name)).content.decode()
    assert 'for="id_file"' in page
    assert 'for="id_slug"' in page
    assert 'enctype="multipart/form-data"' in page


def test_text_xml_cannot_hold_does_not_stop_the_export(schema, study, codings, codes, alice):
    # Pasted from a PDF or a word processor: a form feed, a vertical tab, a stray control.
    Memo.objects.create(study=study, author=alice, title="Pasted\x01", text="Page one\x0cpage two")
    Code.objects.filter(pk=codes["inhibitor"].pk).update(definition="Holds\x0bback\x02.")
    archive = zipfile.ZipFile(_archive(project_from_study(study)))
    document = etree.fromstring(archive.read("project.qde"))
    schema.assertValid(document)
    project = qdpx.read_qdpx(_archive(project_from_study(study))).project
    notes = {note.name: note.text for note in project.notes}
    assert notes["Pasted"] == "Page one\npage two"
    inhibitor = ("Inhibitor", True, "#f38ba0", "Holds\nback.\n\n[Shortcut]\n3")
    assert inhibitor in _summary(project)["codes"]


@pytest.mark.parametrize(
    "parts", [("user", "bob"), ("pilot", "coding", 12), ("démo", "memo", "é🙂")]
)
def test_guids_are_uuid5_of_their_parts_so_they_stay_the_same_across_versions(parts):
    import uuid

    expected = uuid.uuid5(qdpx.GUID_NAMESPACE, ":".join(str(part) for part in parts))
    assert qdpx.make_guid(*parts) == str(expected)
