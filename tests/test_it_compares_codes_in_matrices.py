"""Code × interview, code × attribute and co-occurrence tables, their CSV and their charts."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from codebook.models import Coding
from interviews.models import Interview, Participant, ParticipantAttribute
from tests.analysis_data import fill_codings

MATRIX = reverse("analysis-matrix", args=["pilot"])
COOCCURRENCE = reverse("analysis-cooccurrence", args=["pilot"])


@pytest.fixture
def codings(interview, codes, make_coding, bob, carol, sam):
    return fill_codings(interview, codes, make_coding, bob, carol, sam)


@pytest.fixture
def second(study, codes, bob, make_coding):
    other = Participant.objects.create(study=study, label="Manager B")
    ParticipantAttribute.objects.create(participant=other, name="sector", value="Housing")
    interview = Interview.objects.create(
        study=study,
        participant=other,
        title="Manager B",
        text="We asked citizens again.",
        position=1,
    )
    make_coding(interview, codes["inhibitor"], bob, "asked citizens")
    return interview


def _get(client, user, url, query=None):
    client.force_login(user)
    response = client.get(url, query or {})
    assert response.status_code == 200
    return response


def _row(rows, path):
    return next(row for row in rows if row[0] == path)


def test_it_counts_codings_per_code_and_interview(client, alice, codings, second):
    rows = _get(client, alice, MATRIX).context["rows"]
    counts = {path: [cell[0] for cell in cells] for path, cells, _ in rows}
    assert counts["Inhibitor"] == [2, 1]
    assert counts["Theoretical lenses/Identity work"] == [3, 0]
    assert counts["Theoretical lenses"] == [0, 0]


def test_it_gives_the_share_of_the_interviews_words_coded(client, alice, codings, second):
    rows = _get(client, alice, MATRIX).context["rows"]
    inhibitor = _row(rows, "Inhibitor")[1]
    # "asked citizens" is 2 of the 4 words of the second interview.
    assert inhibitor[1][1] == "50.0 %"


def test_it_links_each_cell_to_its_segments(client, alice, codes, codings, second):
    rows = _get(client, alice, MATRIX).context["rows"]
    link = _row(rows, "Inhibitor")[1][1][3]
    retrieval = reverse("retrieval", args=["pilot"])
    assert link == f"{retrieval}?exact=on&code={codes['inhibitor'].pk}&interview={second.pk}"
    segments = _get(client, alice, link).context["segments"]
    assert [segment.coding.quote for segment in segments] == ["asked citizens"]


def test_it_counts_codings_per_attribute_value(client, alice, codings, second):
    response = _get(client, alice, MATRIX, {"by": "sector"})
    assert [label for _, label in response.context["columns"]] == ["Care", "Housing"]
    counts = {path: [cell[0] for cell in cells] for path, cells, _ in response.context["rows"]}
    assert counts["Inhibitor"] == [2, 1]
    link = _row(response.context["rows"], "Inhibitor")[1][1][3]
    assert "attribute=sector%3DHousing" in link


def test_it_downloads_the_matrix_as_csv(client, alice, interview, codings, second):
    client.force_login(alice)
    response = client.get(MATRIX, {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="pilot-code-by-interview.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["code", "Manager A, first interview", "Manager B"]
    # bob's and carol's inhibitor passages have four words each; the lost one counts not.
    share = f"{100 * 8 / len(interview.text.split()):.1f}"
    assert _row(rows, "Inhibitor") == ["Inhibitor", "2", "1", share, "50.0"]


def test_it_neutralises_formulas_in_the_csv(client, alice, codes, codings):
    codes["inhibitor"].name = "=HYPERLINK()"
    codes["inhibitor"].save()
    client.force_login(alice)
    response = client.get(MATRIX, {"format": "csv"})
    assert "'=HYPERLINK()" in b"".join(response.streaming_content).decode()


def test_it_draws_a_bar_chart_per_interview_with_a_text_alternative(client, alice, codings):
    response = _get(client, alice, MATRIX)
    label, chart = response.context["charts"][0]
    assert label == "Manager A, first interview"
    assert 'role="img"' in chart
    assert '<desc id="chart-0-desc">Inhibitor: 2; Theoretical lenses/Identity work: 3;' in chart


def test_it_counts_overlapping_codes(client, alice, codings):
    rows = dict(_get(client, alice, COOCCURRENCE).context["rows"])
    identity = [cell[0] for cell in rows["Theoretical lenses/Identity work"]]
    # Columns: Inhibitor, Identity work, Sensemaking.
    assert identity == [1, 3, 1]
    assert [cell[0] for cell in rows["Inhibitor"]] == [2, 1, 0]


def test_it_counts_codes_in_the_same_turn(client, alice, codings):
    rows = dict(_get(client, alice, COOCCURRENCE, {"proximity": "turn"}).context["rows"])
    assert [cell[0] for cell in rows["Theoretical lenses/Identity work"]] == [3, 3, 1]


def test_a_co_occurrence_cell_links_to_the_same_segments(client, alice, codings):
    rows = dict(_get(client, alice, COOCCURRENCE, {"proximity": "turn"}).context["rows"])
    count, _, _, link = rows["Theoretical lenses/Identity work"][0]
    assert "proximity=turn" in link
    assert _get(client, alice, link).context["page"].paginator.count == count


def test_it_draws_a_heat_map_with_a_text_alternative(client, alice, codings):
    heat_map = _get(client, alice, COOCCURRENCE).context["heat_map"]
    assert "Inhibitor with Theoretical lenses/Identity work: 1" in heat_map


def test_a_blind_coder_counts_only_their_own_codings(client, bob, codings):
    rows = dict(_get(client, bob, COOCCURRENCE).context["rows"])
    assert [cell[0] for cell in rows["Theoretical lenses/Identity work"]] == [0, 1, 1]
    matrix = _get(client, bob, MATRIX).context["rows"]
    assert [cell[0] for cell in _row(matrix, "Theoretical lenses/Identity work")[1]] == [1]


def test_a_blind_coder_cannot_count_another_coder(client, bob, carol, codings):
    form = _get(client, bob, MATRIX, {"coder": carol.pk}).context["form"]
    assert "coder" in form.errors


def test_the_tables_read_a_bounded_number_of_queries(
    client, alice, interview, codes, bob, codings, django_assert_max_num_queries
):
    Coding.objects.bulk_create(
        Coding(interview=interview, code=codes["inhibitor"], coder=bob, start=i, end=i + 1,
               quote=interview.text[i])
        for i in range(80)
    )  # fmt: skip
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        client.get(MATRIX)
    with django_assert_max_num_queries(12):
        client.get(COOCCURRENCE, {"proximity": "turn"})


def test_code_names_are_escaped(client, alice, codes, codings):
    codes["inhibitor"].name = "<script>x</script>"
    codes["inhibitor"].save()
    for url in (MATRIX, COOCCURRENCE):
        page = _get(client, alice, url).content.decode()
        assert "<script>x" not in page
        assert "&lt;script&gt;x" in page


@pytest.mark.parametrize("url", [MATRIX, COOCCURRENCE])
def test_a_stranger_gets_404(client, charlie, codings, url):
    client.force_login(charlie)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", [MATRIX, COOCCURRENCE])
def test_an_anonymous_visitor_is_sent_to_sign_in(codings, url):
    assert Client().get(url)["Location"].startswith(reverse("login"))


def test_word_indexes_are_kept_until_the_interview_changes(study, interview):
    from codebook.analysis.matrices import word_indexes

    words = len(interview.text.split())
    assert len(word_indexes(study)[interview.pk][0]) == words
    # Changed behind the model's back (no new change time): the kept index is used.
    Interview.objects.filter(pk=interview.pk).update(text="one two", text_length=7)
    assert len(word_indexes(study)[interview.pk][0]) == words
    interview.refresh_from_db()
    interview.save()
    assert len(word_indexes(study)[interview.pk][0]) == 2


def test_it_downloads_the_co_occurrence_table_as_csv(client, alice, codings):
    client.force_login(alice)
    response = client.get(COOCCURRENCE, {"proximity": "turn", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="pilot-co-occurrence.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "code",
        "Inhibitor",
        "Theoretical lenses/Identity work",
        "Theoretical lenses/Sensemaking",
    ]
    assert _row(rows, "Theoretical lenses/Identity work") == [
        "Theoretical lenses/Identity work", "3", "3", "1",
    ]  # fmt: skip
