"""The workbench page: what each member sees, escaping, and a bounded number of queries."""

import json
import re

import pytest
from django.urls import reverse

from codebook.models import Code, Coding, Origin
from interviews.models import Interview, ParticipantAttribute, Turn


def page_data(response):
    match = re.search(
        r'<script id="workbench-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def coders_shown(response):
    return sorted({coding["coder"] for coding in page_data(response)["codings"]})


@pytest.fixture
def coded(interview, codes, bob, carol, sam, make_coding):
    make_coding(interview, codes["sensemaking"], bob, "We asked citizens")
    make_coding(interview, codes["inhibitor"], carol, "The budget was tight")
    make_coding(
        interview, codes["identity"], sam, "let go", origin=Origin.CONSENSUS, memo="Settled."
    )
    return interview


def test_it_reads_as_turns_with_the_participants_attributes(client, bob, interview, participant):
    ParticipantAttribute.objects.create(participant=participant, name="Sector", value="Care")
    client.force_login(bob)
    html = client.get(interview.get_absolute_url()).content.decode()
    assert html.count('class="spoken"') == 4
    assert "00:01:47" in html and "Sector" in html and "Care" in html


def test_it_links_the_previous_and_next_interviews(client, bob, study, interview):
    later = Interview.objects.create(study=study, title="Zeta", text="Later.", position=5)
    client.force_login(bob)
    html = client.get(interview.get_absolute_url()).content.decode()
    assert f'rel="next" href="{later.get_absolute_url()}"' in html
    html = client.get(later.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{interview.get_absolute_url()}"' in html


def test_with_blind_coding_a_coder_sees_only_their_own(client, bob, coded):
    client.force_login(bob)
    response = client.get(coded.get_absolute_url())
    assert coders_shown(response) == [bob.pk]
    assert "Show codings of" not in response.content.decode()


def test_a_blind_coder_cannot_ask_for_other_layers(client, bob, carol, sam, coded):
    client.force_login(bob)
    response = client.get(coded.get_absolute_url(), {"layer": [f"c{carol.pk}", "consensus"]})
    assert coders_shown(response) == []


def test_a_blind_coder_cannot_open_another_coders_coding(client, bob, carol, coded):
    carols = Coding.objects.get(coder=carol)
    client.force_login(bob)
    response = client.get(coded.get_absolute_url(), {"coding": carols.pk})
    assert "The budget was tight" not in response.content.decode().split('id="coding-panel"')[1]


def test_a_supervisor_switches_layers_including_the_consensus(client, sam, bob, carol, coded):
    client.force_login(sam)
    response = client.get(
        coded.get_absolute_url(), {"layer": [f"c{bob.pk}", f"c{carol.pk}", "consensus"]}
    )
    layers = sorted(coding["layer"] for coding in page_data(response)["codings"])
    assert layers == sorted([f"c{bob.pk}", f"c{carol.pk}", "consensus"])
    assert "Consensus" in response.content.decode()


def test_a_supervisor_sees_their_own_codings_by_default(client, sam, coded):
    client.force_login(sam)
    assert page_data(client.get(coded.get_absolute_url()))["codings"] == []


def test_without_blind_coding_coders_see_each_other(client, study, bob, carol, coded):
    study.blind_coding = False
    study.save()
    client.force_login(bob)
    response = client.get(coded.get_absolute_url(), {"layer": [f"c{bob.pk}", f"c{carol.pk}"]})
    assert coders_shown(response) == sorted([bob.pk, carol.pk])


def test_a_viewer_sees_codings_but_no_controls(client, study, vic, coded):
    study.blind_coding = False
    study.save()
    client.force_login(vic)
    response = client.get(coded.get_absolute_url())
    html = response.content.decode()
    assert len(page_data(response)["codings"]) == 3
    assert page_data(response)["canCode"] is False
    assert "Undo" not in html and 'id="picker"' not in html and "code-apply" not in html


def test_a_stranger_gets_404(client, charlie, interview):
    client.force_login(charlie)
    assert client.get(interview.get_absolute_url()).status_code == 404


def test_counts_show_this_interview_and_the_study(client, study, bob, coded, codes, make_coding):
    other = Interview.objects.create(study=study, title="Second", text="We asked again.")
    make_coding(other, codes["sensemaking"], bob, "We asked")
    client.force_login(bob)
    html = client.get(coded.get_absolute_url()).content.decode()
    pk = codes["sensemaking"].pk
    assert f'data-count-here="{pk}">1<' in html
    assert f'data-count-study="{pk}">2<' in html
    assert f'data-count-study="{codes["inhibitor"].pk}">0<' in html  # carol's is hidden


def test_the_list_filters_by_a_code_with_its_sub_codes(client, study, sam, bob, carol, coded):
    client.force_login(sam)
    lenses = Code.objects.get(name="Theoretical lenses")
    params = {"part": "coding-list", "list": "1", "code": lenses.pk}
    params["layer"] = [f"c{bob.pk}", f"c{carol.pk}", "consensus"]
    html = client.get(coded.get_absolute_url(), params, headers={"HX-Request": "true"})
    html = html.content.decode()
    assert "We asked citizens" in html and "let go" in html
    assert "The budget was tight" not in html
    assert "<html" not in html


def test_each_link_of_the_list_is_named_by_its_code_and_words(client, sam, bob, carol, coded):
    # A screen reader lists links by name: a dozen "Theoretical lenses/Sensemaking" say nothing.
    client.force_login(sam)
    params = {"part": "coding-list", "list": "1", "layer": [f"c{bob.pk}", f"c{carol.pk}"]}
    html = client.get(coded.get_absolute_url(), params, headers={"HX-Request": "true"})
    assert 'aria-label="Theoretical lenses/Sensemaking: We asked citizens' in html.content.decode()


def test_the_list_filters_by_coder(client, sam, bob, carol, coded):
    client.force_login(sam)
    params = {"list": "1", "coder": carol.pk, "layer": [f"c{bob.pk}", f"c{carol.pk}"]}
    html = client.get(coded.get_absolute_url(), params).content.decode()
    listed = html.split('class="coding-list"')[1]
    assert "The budget was tight" in listed and "We asked citizens" not in listed


def test_the_panel_opens_a_coding_with_its_forms(client, bob, coded):
    mine = Coding.objects.get(coder=bob)
    client.force_login(bob)
    response = client.get(
        coded.get_absolute_url(),
        {"part": "coding-panel", "coding": mine.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Start one word earlier" in html and "Delete coding" in html
    assert reverse("coding-delete", args=[coded.study.slug, coded.pk, mine.pk]) in html


HOSTILE = '<script>alert("x")</script> and "><img src=x onerror=alert(1)>'


def test_it_escapes_text_code_names_and_memos(client, study, bob, codes, participant):
    interview = Interview.objects.create(study=study, title="Hostile", text=f"Said: {HOSTILE}")
    Turn.objects.create(interview=interview, speaker="<b>X</b>", start=6, end=len(interview.text))
    code = Code.objects.create(study=study, name=HOSTILE[:100], colour="#123456")
    Coding.objects.create(
        interview=interview,
        code=code,
        coder=bob,
        start=6,
        end=len(interview.text),
        quote=interview.text[6:],
        memo=HOSTILE,
    )
    client.force_login(bob)
    html = client.get(interview.get_absolute_url(), {"list": "1"}).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>X</b>" not in html
    assert "&lt;script&gt;alert" in html
    assert "\\u003Cscript\\u003E" in html  # inside the JSON the page's script reads


def test_the_page_needs_a_bounded_number_of_queries(
    client, bob, carol, study, interview, codes, django_assert_max_num_queries
):
    text = interview.text
    rows = []
    for index in range(400):
        start = index % (len(text) - 12)
        if not text[start : start + 10].strip():
            continue
        for coder, code in ((bob, codes["sensemaking"]), (carol, codes["inhibitor"])):
            rows.append(
                Coding(
                    interview=interview,
                    code=code,
                    coder=coder,
                    start=start,
                    end=start + 10,
                    quote=text[start : start + 10],
                )
            )
    Coding.objects.bulk_create(rows, ignore_conflicts=True)
    study.blind_coding = False
    study.save()
    client.force_login(bob)
    layers = {"layer": [f"c{bob.pk}", f"c{carol.pk}", "consensus"]}
    with django_assert_max_num_queries(12):
        response = client.get(interview.get_absolute_url(), layers)
    assert len(page_data(response)["codings"]) > 300
    with django_assert_max_num_queries(8):
        client.get(
            interview.get_absolute_url(),
            {"list": "1", "part": "coding-list", **layers},
            headers={"HX-Request": "true"},
        )
    with django_assert_max_num_queries(14):
        client.get(interview.get_absolute_url(), {"list": "1", **layers})


def test_a_transcript_without_turns_reads_as_one_block(client, bob, study):
    interview = Interview.objects.create(study=study, title="Plain", text="One & only <block>.")
    client.force_login(bob)
    html = client.get(interview.get_absolute_url()).content.decode()
    assert (
        '<p class="spoken" data-start="0" data-end="19">One &amp; only &lt;block&gt;.</p>' in html
    )
    assert 'class="speaker"' not in html


def _count_queries(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_codings(
    client, bob, carol, study, interview, codes, make_coding
):
    study.blind_coding = False
    study.save()
    client.force_login(bob)
    params = {"layer": [f"c{bob.pk}", f"c{carol.pk}"], "list": "1"}
    make_coding(interview, codes["sensemaking"], bob, "We asked citizens")
    few = _count_queries(client, interview.get_absolute_url(), params)
    text = interview.text
    Coding.objects.bulk_create(
        Coding(
            interview=interview,
            code=codes["inhibitor"],
            coder=carol,
            start=start,
            end=start + 5,
            quote=text[start : start + 5],
        )
        for start in range(0, len(text) - 5, 2)
        if text[start : start + 5].strip()
    )
    assert Coding.objects.count() > 150
    assert _count_queries(client, interview.get_absolute_url(), params) == few


@pytest.mark.parametrize("layer", ["c²", "c١", "c𝟙"])
def test_a_layer_with_digits_of_other_scripts_is_ignored(client, sam, coded, layer):
    # str.isdigit() takes "²" and "١", which int() then refused with a 500.
    client.force_login(sam)
    response = client.get(coded.get_absolute_url(), {"layer": layer})
    assert response.status_code == 200
    assert page_data(response)["codings"] == []


@pytest.mark.parametrize("param", ["code", "coder", "coding", "scode"])
def test_an_id_past_the_databases_integers_is_read_as_no_id(client, bob, coded, param):
    # SQLite cannot compare with a number past 2**63: the filter was a 500.
    client.force_login(bob)
    query = {param: str(10**30), "list": "1", "suggestions": "1"}
    response = client.get(coded.get_absolute_url(), query)
    assert response.status_code == 200
    assert list(response.context["page"].coding_list) == [Coding.objects.get(coder=bob)]
