"""A .qdpx export imported again keeps the turns, the codebook's entries and interview dates."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from codebook.exchange import qdpx
from codebook.exchange.qdc import describe, parse_description
from codebook.exchange.qdpx_study import DATE_VARIABLE, project_from_study, study_from_project
from codebook.history import snapshot_codebook
from interviews.models import SpeakerRole, Study


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return Study.objects.get(slug="demo")


@pytest.fixture
def copy(client, demo):
    """The demo study downloaded as .qdpx and imported from the page, as a user does."""
    client.force_login(get_user_model().objects.get(username="owner"))
    response = client.get(reverse("export-qdpx", args=[demo.slug]))
    upload = io.BytesIO(b"".join(response.streaming_content))
    upload.name = "project.qdpx"
    response = client.post(reverse("import-qdpx"), {"file": upload, "slug": "demo-copy"})
    assert response.status_code == 302
    return Study.objects.get(slug="demo-copy")


def _turns(study) -> dict[str, list[tuple]]:
    return {
        interview.title: [
            (t.speaker, t.start, t.end, t.timestamp, t.speaker_role == SpeakerRole.INTERVIEWER)
            for t in interview.turns.order_by("start")
        ]
        for interview in study.interviews.all()
    }


def _entries(study) -> list[dict]:
    return [
        {key: value for key, value in entry.items() if key != "id"}
        for entry in snapshot_codebook(study)
    ]


def test_the_imported_interviews_have_the_original_speaker_turns(demo, copy):
    original = _turns(demo)
    assert sum(len(turns) for turns in original.values()) > 100
    assert _turns(copy) == original


def test_the_imported_codebook_has_every_field_of_every_entry(demo, copy):
    entries = _entries(demo)
    assert any(e["inclusion"] and e["counter_example"] and e["shortcut"] for e in entries)
    assert any(e["indicator_terms"] for e in entries)
    assert _entries(copy) == entries


def test_the_imported_interviews_keep_their_dates(demo, copy):
    dates = dict(demo.interviews.values_list("title", "date"))
    assert None not in dates.values()
    assert dict(copy.interviews.values_list("title", "date")) == dates


def test_sentence_agreement_of_the_imported_study_counts_the_same_units(client, demo, copy):
    coders = get_user_model().objects.filter(username__in=["coder1", "coder2"])
    query = "?unit=sentence" + "".join(f"&coders={coder.pk}" for coder in coders)

    def units(study) -> list[str]:
        url = reverse("agreement-units-csv", args=[study.slug]) + query
        response = client.get(url)
        assert response.status_code == 200
        return b"".join(response.streaming_content).decode().splitlines()

    original = units(demo)
    assert len(original) > 100
    assert units(copy) == original
    page = client.get(reverse("agreement", args=[copy.slug]) + query).content.decode()
    assert "no units" not in page


def test_other_programs_read_the_definition_first_and_the_date_as_a_date_variable(demo):
    project = project_from_study(demo)
    sensemaking = next(
        child for code in project.codes for child in code.children if child.name == "Sensemaking"
    )
    code = demo.codes.get(name="Sensemaking")
    assert sensemaking.description.startswith(code.definition + "\n\n[Inclusion criteria]\n")
    (variable,) = [v for v in project.variables if v.name == DATE_VARIABLE]
    assert variable.type == "Date"
    first = demo.interviews.order_by("position").first()
    assert project.sources[0].values == {variable.guid: first.date.isoformat()}


def test_a_date_that_is_not_a_date_is_left_empty_with_a_warning(alice, demo):
    project = qdpx.read_qdpx(io.BytesIO(qdpx.qdpx_bytes(project_from_study(demo)))).project
    (variable,) = [v for v in project.variables if v.name == DATE_VARIABLE]
    project.sources[0].values[variable.guid] = "spring 2024"
    study, warnings = study_from_project(project, "dateless", alice)
    title = study.interviews.order_by("position").first().title
    assert f"The date “spring 2024” of “{title}” was not understood; left empty." in warnings
    assert study.interviews.get(title=title).date is None


def test_a_shortcut_already_taken_is_left_out_with_a_warning(alice, demo):
    project = qdpx.read_qdpx(io.BytesIO(qdpx.qdpx_bytes(project_from_study(demo)))).project
    first, second = project.codes[0].children[:2]
    taken = parse_description(first.description)["shortcut"]
    second.description = describe({**parse_description(second.description), "shortcut": taken})
    study, warnings = study_from_project(project, "clash", alice)
    assert any("is taken or not one key" in warning for warning in warnings)
    shortcuts = [s for s in study.codes.values_list("shortcut", flat=True) if s]
    assert len(shortcuts) == len(set(shortcuts))
