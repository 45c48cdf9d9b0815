"""Word frequencies of a code's passages against the rest of the study."""

import pytest
from django.urls import reverse

from codebook.analysis.keyness import log_likelihood, rank_distinctive
from codebook.analysis.words import split_text
from interviews.models import Interview
from tests.analysis_data import fill_codings

URL = reverse("analysis-words", args=["pilot"])


@pytest.fixture
def codings(interview, codes, make_coding, bob, carol, sam):
    return fill_codings(interview, codes, make_coding, bob, carol, sam)


def test_word_counts_are_those_of_tokenizing_the_whole_texts():
    # Counted stretch by stretch between white space; spaCy reads the whole text alike.
    from codebook.analysis.nlp import load_pipeline, word_counts

    texts = [
        "Don't stop—we're 'co-producing' it, e.g. in the U.S.A.; “quoted”\tTab\nnew line",
        "(Aside) 3rd naïve café: can't, won't... it's l'été 🙂x x🙂 :) http://x.org/a?b=c",
        "Don't stop: the café, the café!",
    ]
    nlp = load_pipeline("en")
    expected: dict[str, int] = {}
    for doc in nlp.tokenizer.pipe(texts):
        for token in doc:
            word = token.lower_
            if token.is_alpha and len(word) > 1 and word not in nlp.Defaults.stop_words:
                expected[word] = expected.get(word, 0) + 1
    assert word_counts(texts, "en") == expected
    assert expected["café"] == 3


def test_log_likelihood_is_zero_for_equal_rates_and_grows_with_the_difference():
    assert log_likelihood(10, 100, 1000, 10000) == pytest.approx(0)
    assert log_likelihood(30, 100, 1000, 10000) > log_likelihood(20, 100, 1000, 10000) > 0


def test_it_ranks_only_words_more_frequent_in_the_passages():
    target = {"budget": 5, "tight": 2, "the": 2, "rare": 1}
    rest = {"budget": 1, "the": 40, "tight": 2}
    ranked = rank_distinctive(target, rest)
    assert [keyword.word for keyword in ranked] == ["budget", "tight"]
    assert ranked[0].in_target == 5 and ranked[0].in_rest == 1


def test_it_splits_a_text_into_passages_and_the_rest():
    inside, outside = split_text("abcdefghij", [(6, 8), (1, 3), (2, 4)])
    assert inside == ["bcd", "gh"]
    assert outside == ["a", "ef", "ij"]


def test_the_page_lists_the_codes_words_without_stop_words(
    client, alice, study, codes, carol, make_coding, codings
):
    second = Interview.objects.create(
        study=study,
        title="Manager B",
        text="For the citizens, by the citizens. Budget.",
        position=1,
    )
    make_coding(second, codes["sensemaking"], carol, "For the citizens, by the citizens.")
    client.force_login(alice)
    response = client.get(URL, {"code": codes["lenses"].pk})
    words = [keyword.word for keyword in response.context["keywords"]]
    assert words == ["citizens"]
    assert response.context["keywords"][0].in_rest == 1
    assert "<td>citizens</td>" in response.content.decode()


def test_a_blind_coder_counts_only_their_own_passages(client, bob, carol, codes, codings):
    client.force_login(bob)
    response = client.get(URL, {"code": codes["identity"].pk})
    # bob coded "a “rôle” change for me 🙂": "rôle" and "change" are not stop words.
    assert response.context["inside"] == 2


def test_a_stranger_gets_404(client, charlie, codings):
    client.force_login(charlie)
    assert client.get(URL).status_code == 404
