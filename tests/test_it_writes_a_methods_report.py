"""The methods report: sentences about material, participants, coders, codebook, agreement."""

from datetime import date

import pytest
from django.urls import reverse

from codebook.analysis.report_text import Facts, escape_markdown, join_words, write_sections
from interviews.models import Interview
from tests.analysis_data import fill_codings

PAGE = reverse("report", args=["pilot"])
MARKDOWN = reverse("report-markdown", args=["pilot"])


@pytest.fixture
def codings(interview, codes, make_coding, bob, carol, sam):
    interview.date = date(2025, 3, 4)
    interview.save()
    return fill_codings(interview, codes, make_coding, bob, carol, sam)


def _markdown(client, user) -> str:
    client.force_login(user)
    response = client.get(MARKDOWN)
    assert response["Content-Disposition"] == 'attachment; filename="pilot-methods.md"'
    return response.content.decode()


def test_it_joins_words_as_a_sentence_would():
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"


def test_it_writes_the_material_in_sentences():
    facts = Facts(title="T", today=date(2026, 1, 2), interviews=2, words=1500, shortest=500,
                  longest=1000, first_interview=date(2025, 3, 4), last_interview=date(2025, 4, 1),
                  languages=["en"])  # fmt: skip
    material = write_sections(facts)[0]
    assert material.paragraphs == [
        "The material consists of 2 interview transcripts with 1,500 words in total (from 500 "
        "to 1,000 words per interview). The interviews were held between 4 March 2025 and "
        "1 April 2025. Language of the transcripts: en."
    ]


def test_a_codebook_without_codes_gets_no_empty_list():
    facts = Facts(title="T", today=date(2026, 1, 2))
    codebook = next(section for section in write_sections(facts) if section.heading == "Codebook")
    assert codebook.paragraphs == [
        "The codebook holds 0 codes. No frozen version of the codebook is recorded."
    ]
    assert codebook.items == []


def test_it_escapes_markdown_in_names():
    assert escape_markdown("*Care* [x]") == r"\*Care\* \[x\]"


def test_the_markdown_states_the_studys_facts(client, alice, interview, codings):
    text = _markdown(client, alice)
    words = len(interview.text.split())
    assert text.startswith("# Methods report: Co-production pilot\n")
    assert f"The material consists of 1 interview transcript with {words} words in total." in text
    assert "The interviews were held on 4 March 2025." in text
    assert "The interviews were held with 1 participant. Their recorded attributes were:" in text
    assert "- sector: Care (1)" in text
    assert (
        "2 members coded the transcripts independently, without seeing each other's codings" in text
    )
    assert "bob (coder, 3 codings) and carol (coder, 2 codings); 5 codings in total." in text
    assert "1 coding forms the consensus layer." in text
    assert "The codebook holds 3 codes, arranged under 1 grouping code." in text
    assert "- Theoretical lenses/Identity work: (no definition recorded)" in text


def test_it_says_plainly_what_is_not_recorded(client, alice, codings):
    text = _markdown(client, alice)
    assert "No frozen version of the codebook is recorded." in text
    assert "No disagreements have been settled into a consensus layer." in text


def test_it_counts_auto_coded_codings(client, alice, interview, codes, bob, make_coding, codings):
    make_coding(interview, codes["inhibitor"], bob, "citizens", origin="search")
    assert "1 coding was applied to the hits of a text search" in _markdown(client, alice)


def test_a_blind_coder_reads_only_their_own_figures(client, bob, codings):
    text = _markdown(client, bob)
    assert "this report counts only your own codings: bob made 3 codings." in text
    assert "carol" not in text
    assert "Agreement figures are hidden from coders while coding is blind." in text
    # Not "no disagreements have been settled": the coder cannot know.
    assert "The consensus layer is hidden from coders while coding is blind." in text
    assert "No disagreements have been settled" not in text


def test_the_page_prints_the_same_sections_escaped(client, alice, codes, codings):
    codes["inhibitor"].definition = "<script>alert(1)</script>"
    codes["inhibitor"].save()
    client.force_login(alice)
    page = client.get(PAGE).content.decode()
    assert "<h2>Codebook</h2>" in page
    assert "Inhibitor: &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'href="{MARKDOWN}"' in page


def test_the_report_reads_a_bounded_number_of_queries(
    client, alice, study, codes, bob, carol, make_coding, codings, django_assert_max_num_queries
):
    for number in range(3):
        other = Interview.objects.create(
            study=study, title=f"Extra {number}", text="We asked citizens.", position=number + 1
        )
        make_coding(other, codes["inhibitor"], bob, "asked citizens")
        make_coding(other, codes["inhibitor"], carol, "citizens")
    client.force_login(alice)
    # The facts read each table once (the codings once for every count: each count read
    # all of a large study's codings again; the words from the cached word indexes, two
    # when not cached); settlements add two, the agreement report six.
    with django_assert_max_num_queries(22):
        client.get(PAGE)


def test_a_stranger_gets_404(client, charlie, codings):
    client.force_login(charlie)
    assert client.get(PAGE).status_code == 404
    assert client.get(MARKDOWN).status_code == 404


def test_it_names_the_frozen_codebook_versions(client, alice, study, codings):
    from codebook.history import freeze_version

    freeze_version(study, alice, "Before the second round")
    freeze_version(study, alice, "Final *codebook*")
    text = _markdown(client, alice)
    assert "It was frozen as 2 versions: “Before the second round” (" in text
    assert "and “Final \\*codebook\\*” (" in text
    assert "No frozen version" not in text


def test_it_counts_the_settled_disagreements(client, alice, sam, study, interview, codes, codings):
    from codebook.models import Settlement

    Settlement.objects.create(
        study=study, interview=interview, code=codes["identity"], start=0, end=5, unit="turn",
        choice="both", settled_by=sam,
    )  # fmt: skip
    text = _markdown(client, alice)
    assert (
        "1 disagreement between coders was settled into the consensus layer: every coder's" in text
    )
    assert "No disagreements have been settled" not in text


def test_it_states_the_agreement_of_the_two_busiest_coders(client, alice, codings):
    text = _markdown(client, alice)
    assert "Agreement between bob and carol was measured with the speaker turn as the unit" in text
    assert "Cohen's κ " in text and "Krippendorff's α " in text


def test_it_says_so_when_nobody_can_be_compared(client, alice, study, interview):
    assert "No intercoder agreement figures are recorded for this study." in _markdown(
        client, alice
    )
