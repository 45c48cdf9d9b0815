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
