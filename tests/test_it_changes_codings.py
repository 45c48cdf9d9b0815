"""Changing a coding from its panel: code, memo, boundaries by word or sentence."""

import pytest
from django.urls import reverse

from codebook.models import Coding
from tests.conftest import change_of


@pytest.fixture
def coding(interview, codes, bob, make_coding):
    return make_coding(interview, codes["sensemaking"], bob, "asked citizens")


def _change(client, coding, **data):
    args = [coding.interview.study.slug, coding.interview.pk, coding.pk]
    response = client.post(
        reverse("coding-change", args=args), data, headers={"HX-Request": "true"}
    )
    coding.refresh_from_db()
    return response


def test_it_extends_the_end_by_a_word(client, bob, coding):
    client.force_login(bob)
    _change(client, coding, edge="end", unit="word", step="1")
    assert coding.quote == "asked citizens to"


def test_it_extends_the_start_by_a_word_past_the_emoji(client, bob, coding, interview):
    client.force_login(bob)
    _change(client, coding, edge="start", unit="word", step="-1")
    assert coding.quote == "We asked citizens"
    assert interview.text[coding.start : coding.end] == coding.quote


def test_it_extends_to_the_end_of_the_sentence(client, bob, coding):
    client.force_login(bob)
    _change(client, coding, edge="end", unit="sentence", step="1")
    assert coding.quote == "asked citizens to design the service with our frontline staff."


def test_it_shrinks_by_a_word_but_never_to_nothing(client, bob, coding):
    client.force_login(bob)
    _change(client, coding, edge="end", unit="word", step="-1")
    assert coding.quote == "asked"
    response = _change(client, coding, edge="end", unit="word", step="-1")
    assert coding.quote == "asked"
    assert change_of(response)["error"] is True


def test_it_changes_the_code(client, bob, coding, codes):
    client.force_login(bob)
    _change(client, coding, code=codes["inhibitor"].pk)
    assert coding.code == codes["inhibitor"]


def test_it_saves_a_memo(client, bob, coding):
    client.force_login(bob)
    _change(client, coding, memo="  Citizens as co-designers.  ")
    assert coding.memo == "Citizens as co-designers."


def test_a_change_into_a_duplicate_is_refused_and_changes_nothing(
    client, bob, coding, codes, make_coding
):
    make_coding(coding.interview, codes["inhibitor"], bob, "asked citizens")
    client.force_login(bob)
    response = _change(client, coding, code=codes["inhibitor"].pk)
    assert "already coded exactly this passage" in response.content.decode()
    assert coding.code == codes["sensemaking"]
    assert Coding.objects.count() == 2


def test_a_plain_form_post_comes_back_to_the_open_coding(client, bob, coding):
    client.force_login(bob)
    args = [coding.interview.study.slug, coding.interview.pk, coding.pk]
    response = client.post(reverse("coding-change", args=args), {"memo": "x"})
    assert response.status_code == 302
    assert response.url.endswith(f"?coding={coding.pk}")


# Moving an edge by a word or a sentence counts only spoken words: a speaker's name and
# timestamp are never a word of the passage, and a move past a turn's first or last word
# goes on into the next turn's spoken text, as Shift+K and Shift+J do.


@pytest.fixture
def first_word(interview, codes, bob, make_coding):
    return make_coding(interview, codes["sensemaking"], bob, "Yes – it")


def test_a_word_earlier_than_a_turn_goes_to_the_turn_before(client, bob, first_word, interview):
    client.force_login(bob)
    _change(client, first_word, edge="start", unit="word", step="-1")
    assert first_word.start == interview.text.index("project?")
    assert first_word.quote.endswith("project?\n\n[00:00:12] Manager A: Yes – it")


def test_a_sentence_earlier_than_a_turn_goes_to_the_turn_before(client, bob, first_word, interview):
    client.force_login(bob)
    _change(client, first_word, edge="start", unit="sentence", step="-1")
    assert first_word.quote.startswith("Could you tell me about the café project?\n\n")


def test_a_word_later_than_a_turn_skips_the_next_label(client, bob, interview, codes, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, "did not help.")
    client.force_login(bob)
    _change(client, coding, edge="end", unit="word", step="1")
    assert coding.quote.endswith("help.\n\n[00:01:40] Interviewer: What")
    _change(client, coding, edge="end", unit="sentence", step="-1")
    assert coding.quote == "did not help."


def test_a_start_in_a_label_moves_to_the_spoken_words(client, bob, interview, codes, make_coding):
    # Codings made before this rule, or imported, may begin in a label.
    coding = make_coding(interview, codes["inhibitor"], bob, "Manager A: Yes – it")
    client.force_login(bob)
    _change(client, coding, edge="start", unit="word", step="1")
    assert coding.quote == "Yes – it"


def test_the_first_spoken_word_cannot_start_earlier(client, bob, interview, codes, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, "Could you")
    client.force_login(bob)
    response = _change(client, coding, edge="start", unit="word", step="-1")
    assert coding.quote == "Could you"
    assert "cannot move further" in response.content.decode()
