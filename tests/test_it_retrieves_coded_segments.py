"""The retrieval page: filters, quotes in context, links to the workbench, counts, CSV."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from codebook.analysis.segments import PER_PAGE
from codebook.models import Coding
from tests.analysis_data import fill_codings

URL = reverse("retrieval", args=["pilot"])


@pytest.fixture
def codings(interview, codes, make_coding, bob, carol, sam):
    return fill_codings(interview, codes, make_coding, bob, carol, sam)


def _get(client, user, query=None, **headers):
    client.force_login(user)
    response = client.get(URL, query or {}, **headers)
    assert response.status_code == 200
    return response


def test_it_shows_a_segment_with_context_path_coder_memo_and_link(
    client, alice, bob, codes, codings
):
    response = _get(client, alice, {"code": codes["identity"].pk, "coder": bob.pk})
    page = response.content.decode()
    coding = codings["bob_identity"]
    assert "Theoretical lenses/Identity work" in page
    assert "Yes – it was <mark>a “rôle” change for me 🙂</mark>. We asked citizens" in page
    assert "coded by bob" in page
    assert "Own &lt;b&gt;role&lt;/b&gt;" in page
    workbench = reverse("workbench", args=["pilot", coding.interview_id])
    # The workbench opens the coding in its panel, on its coder's layer.
    assert f'href="{workbench}?coding={coding.pk}&amp;layer=c{bob.pk}"' in page


def test_its_link_opens_the_coding_in_the_workbench(client, alice, bob, codes, codings):
    coding = codings["bob_identity"]
    page = _get(client, alice, {"code": codes["identity"].pk, "coder": bob.pk}).content.decode()
    workbench = reverse("workbench", args=["pilot", coding.interview_id])
    link = f"{workbench}?coding={coding.pk}&layer=c{bob.pk}"
    assert link.replace("&", "&amp;") in page
    opened = client.get(link).content.decode()
    assert '<blockquote class="quote">a “rôle” change for me 🙂</blockquote>' in opened


def test_it_combines_codes_from_the_query_string(client, alice, codes, codings):
    query = {"code": codes["identity"].pk, "with_code": codes["inhibitor"].pk}
    segments = _get(client, alice, query).context["segments"]
    assert [segment.coding for segment in segments] == [codings["carol_identity"]]


def test_it_counts_segments_per_code(client, alice, codes, codings):
    counts = _get(client, alice).context["counts"]
    assert [(path, number) for _, path, number in counts] == [
        ("Inhibitor", 2),
        ("Theoretical lenses/Identity work", 3),
        ("Theoretical lenses/Sensemaking", 1),
    ]


def test_a_blind_coder_sees_only_their_own_segments_and_counts(client, bob, codings):
    response = _get(client, bob)
    assert {segment.coding.coder for segment in response.context["segments"]} == {bob}
    assert sum(number for _, _, number in response.context["counts"]) == 3
    assert "carol" not in response.content.decode()


def test_a_blind_coder_cannot_pick_another_coder(client, bob, carol, codings):
    response = _get(client, bob, {"coder": carol.pk})
    assert "coder" in response.context["form"].errors
    assert "segments" not in response.context


def test_it_answers_htmx_with_the_results_only(client, alice, codings):
    response = _get(client, alice, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="results"')
    assert "<form" not in page


def test_it_pages_long_results(client, alice, interview, codes, bob, codings):
    text = interview.text
    Coding.objects.bulk_create(
        Coding(interview=interview, code=codes["sensemaking"], coder=bob, start=i, end=i + 1,
               quote=text[i])
        for i in range(PER_PAGE + 5)
    )  # fmt: skip
    first = _get(client, alice, {"code": codes["sensemaking"].pk})
    second = _get(client, alice, {"code": codes["sensemaking"].pk, "page": 2})
    assert len(first.context["segments"]) == PER_PAGE
    assert len(second.context["segments"]) == 6
    assert f"code={codes['sensemaking'].pk}&amp;page=2" in first.content.decode()


def test_it_reads_a_page_in_a_bounded_number_of_queries(
    client, alice, interview, codes, bob, codings, django_assert_max_num_queries
):
    text = interview.text
    Coding.objects.bulk_create(
        Coding(interview=interview, code=codes["inhibitor"], coder=bob, start=i, end=i + 2,
               quote=text[i : i + 2])
        for i in range(60)
    )  # fmt: skip
    client.force_login(alice)
    query = {
        "code": codes["identity"].pk,
        "with_code": codes["inhibitor"].pk,
        "speaker": "Manager A",
    }
    # Session, user, membership, the form's choices, code tree, page, counts per code (which
    # also say how many segments there are: counting them again read every coding).
    with django_assert_max_num_queries(15):
        assert client.get(URL, query).status_code == 200


def test_it_keeps_the_filters_in_the_csv_link(client, alice, codes, codings):
    query = {"code": codes["identity"].pk, "with_code": codes["inhibitor"].pk}
    page = _get(client, alice, query).content.decode()
    link = f"{reverse('export-codings', args=['pilot'])}?code={codes['identity'].pk}&amp;with_code="
    assert link in page


def test_the_csv_export_takes_the_same_filters(client, alice, codes, codings):
    client.force_login(alice)
    query = {
        "code": codes["identity"].pk,
        "with_code": codes["inhibitor"].pk,
        "speaker": "Manager A",
    }
    response = client.get(reverse("export-codings", args=["pilot"]), query)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    # The consensus coding touches only a lost inhibitor coding, which is no partner.
    assert [row["quote"] for row in rows] == ["I had to learn to let go"]


def test_it_says_what_to_correct_for_an_unknown_code(client, alice, codings):
    response = _get(client, alice, {"code": "999999"})
    assert "code" in response.context["form"].errors
    assert "Some filters need correcting" in response.content.decode()


@pytest.mark.parametrize("number", [10**30, -(10**30)])
@pytest.mark.parametrize("field", ["coder", "interview", "participant"])
def test_it_says_what_to_correct_for_an_id_too_large_for_the_database(
    client, alice, codings, field, number
):
    response = _get(client, alice, {field: str(number)})
    assert field in response.context["form"].errors


def test_a_viewer_may_read_the_segments(client, vic, codings):
    assert len(_get(client, vic).context["segments"]) == 6


def test_a_stranger_gets_404(client, charlie, codings):
    client.force_login(charlie)
    assert client.get(URL).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(codings):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
