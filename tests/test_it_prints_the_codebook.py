"""The printable codebook and its Markdown download: entries, counts, example quotes."""

from django.test import Client
from django.urls import reverse

from codebook import tree
from codebook.exchange.codebook_markdown import escape_markdown, write_codebook_markdown


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_prints_entries_with_counts_and_two_quotes(
    study, interview, codes, sam, bob, make_coding, django_assert_max_num_queries
):
    tree.edit_code(codes["inhibitor"], sam, 1, definition="What holds change back.")
    for words in ("The budget was tight", "the targets did not help", "let go"):
        make_coding(interview, codes["inhibitor"], bob, words)
    client = _client(sam)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("codebook-print", args=[study.slug])).content.decode()
    assert "What holds change back." in html
    assert "3 codings in 1 interview by 1 coder" in html
    assert "The budget was tight" in html and "the targets did not help" in html
    assert "let go" not in html


def test_a_blind_coder_sees_only_their_own_quotes(study, interview, codes, bob, carol, make_coding):
    make_coding(interview, codes["inhibitor"], carol, "The budget was tight")
    make_coding(interview, codes["inhibitor"], bob, "the targets did not help")
    make_coding(interview, codes["inhibitor"], bob, "let go")
    html = _client(bob).get(reverse("codebook-print", args=[study.slug])).content.decode()
    assert "the targets did not help" in html and "let go" in html
    assert "The budget was tight" not in html
    assert "2 codings in 1 interview by 1 coder" in html


def test_it_downloads_markdown(study, interview, codes, sam, bob, make_coding):
    make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    response = _client(sam).get(reverse("codebook-markdown", args=[study.slug]))
    text = response.content.decode()
    assert text.startswith("# Codebook: Co\\-production pilot")
    assert "## Inhibitor" in text and "> The budget was tight" in text
    assert "### Theoretical lenses/Sensemaking" in text


def test_markdown_escapes_markup_in_names():
    assert escape_markdown("*bold* <b>") == "\\*bold\\* \\<b\\>"
    entry = {"path": "A_b", "grouping_only": False, "definition": "# not a heading"}
    text = write_codebook_markdown("T", [entry])
    assert "## A\\_b" in text and "\\# not a heading" in text
