"""Text search across transcripts with hits in context, and auto-coding the ticked hits."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from codebook.analysis.textsearch import (
    context_around,
    find_phrase,
    paragraph_around,
    phrase_pattern,
    span_around,
    trim_span,
)
from codebook.models import Code, Coding, Origin
from interviews.models import Interview

SEARCH = reverse("search", args=["pilot"])
AUTOCODE = reverse("search-autocode", args=["pilot"])
SECOND = (
    "Citizens came first. Then the CITIZENS’ council met.\n\n"
    "We asked citizens\nagain, and citizenship grew. Some citizens left."
)


@pytest.fixture
def second(study):
    return Interview.objects.create(study=study, title="Manager B", text=SECOND, position=1)


def _hits(client, user, query="citizens", **extra):
    client.force_login(user)
    response = client.get(SEARCH, {"q": query, **extra})
    assert response.status_code == 200
    return response


def _post(client, user, keys, **fields):
    client.force_login(user)
    data = {"q": "citizens", "hit": keys, "unit": "hit", **fields}
    return client.post(AUTOCODE, data)


def test_the_pattern_takes_whole_words_any_case_and_any_white_space():
    pattern = phrase_pattern("asked   Citizens")
    assert find_phrase(SECOND, pattern) == [(SECOND.index("asked"), SECOND.index("\nagain"))]
    assert len(find_phrase(SECOND, phrase_pattern("citizens"))) == 4
    assert phrase_pattern("  ") is None


def test_the_pattern_takes_punctuation_literally():
    assert find_phrase("a (b) c.* d", phrase_pattern("(b) c.*")) == [(2, 9)]


def test_context_is_cut_at_white_space():
    text = "alpha beta gamma delta epsilon"
    assert context_around(text, 11, 16, width=8) == ("…beta ", " delta…")


def test_spans_are_trimmed_and_found_around_a_hit():
    assert trim_span(" \n ab c \n", 0, 9) == (3, 7)
    assert paragraph_around("one\n\ntwo three\n\nfour", 6, 7) == (5, 14)
    assert span_around([(0, 5), (6, 12), (13, 20)], 4, 8) == (0, 12)
    assert span_around([(0, 5)], 6, 8) is None


def test_it_lists_every_hit_in_context(client, alice, interview, second):
    response = _hits(client, alice)
    assert response.context["total"] == 5
    page = response.content.decode()
    assert "Yes – it was a “rôle” change for me 🙂. We asked <mark>citizens</mark>" in page
    assert "<mark>CITIZENS</mark>’ council" in page


def test_it_finds_other_forms_by_lemma(client, alice, second):
    plain = _hits(client, alice, "citizen").context["total"]
    by_lemma = _hits(client, alice, "citizen", lemma="on").context["total"]
    assert plain == 0
    assert by_lemma == 4


def test_it_asks_for_a_word(client, alice, second):
    response = _hits(client, alice, " … ")
    assert response.context["form"].errors["q"] == ["Type at least one word to search for."]


def test_it_says_what_to_correct_for_an_interview_id_too_large_for_the_database(
    client, alice, second
):
    client.force_login(alice)
    response = client.get(reverse("search", args=["pilot"]), {"q": "citizens", "interview": 10**30})
    assert "interview" in response.context["form"].errors


def test_a_viewer_sees_hits_but_no_auto_coding(client, vic, second):
    response = _hits(client, vic)
    assert response.context["autocode"] is None
    assert AUTOCODE not in response.content.decode()


def test_it_codes_only_the_ticked_hits_and_records_the_search(client, bob, codes, second):
    keys = [hit.key for hit, _, _ in _hits(client, bob).context["hits"]]
    response = _post(client, bob, keys[1:3], code=codes["inhibitor"].pk)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("retrieval", args=["pilot"]))
    codings = list(Coding.objects.order_by("start"))
    assert [coding.quote for coding in codings] == ["CITIZENS", "citizens"]
    assert {(coding.origin, coding.coder, coding.code) for coding in codings} == {
        (Origin.SEARCH, bob, codes["inhibitor"])
    }


def test_it_codes_the_sentence_around_each_hit(client, bob, codes, interview):
    keys = [hit.key for hit, _, _ in _hits(client, bob).context["hits"]]
    _post(client, bob, keys, code=codes["inhibitor"].pk, unit="sentence")
    coding = Coding.objects.get()
    assert coding.quote == "We asked citizens to design the service with our frontline staff."
    assert interview.text[coding.start : coding.end] == coding.quote


def test_it_codes_the_turn_around_each_hit(client, bob, codes, interview):
    keys = [hit.key for hit, _, _ in _hits(client, bob).context["hits"]]
    _post(client, bob, keys, code=codes["inhibitor"].pk, unit="turn")
    coding = Coding.objects.get()
    assert coding.quote.startswith("Yes – it was")
    assert coding.quote.endswith("the targets did not help.")


def test_hits_in_one_paragraph_without_turns_make_one_coding(client, bob, codes, second):
    keys = [hit.key for hit, _, _ in _hits(client, bob).context["hits"]]
    _post(client, bob, keys, code=codes["inhibitor"].pk, unit="turn")
    assert [coding.quote for coding in Coding.objects.order_by("start")] == SECOND.split("\n\n")


def test_it_creates_a_new_code_for_the_hits(client, alice, second):
    keys = [hit.key for hit, _, _ in _hits(client, alice).context["hits"]]
    _post(client, alice, keys, new_code="  Citizens   as partners ")
    code = Code.objects.get(name="Citizens as partners")
    assert code.codings.count() == 4


def test_a_coder_cannot_add_a_code_without_open_coding(client, bob, second):
    keys = [hit.key for hit, _, _ in _hits(client, bob).context["hits"]]
    response = _post(client, bob, keys, new_code="Citizens")
    assert response.status_code == 200
    assert "Choose the code to apply" in response.content.decode()
    assert not Code.objects.filter(name="Citizens").exists()


def test_it_refuses_a_code_and_a_new_code_at_once(client, alice, codes, second):
    keys = [hit.key for hit, _, _ in _hits(client, alice).context["hits"]]
    response = _post(client, alice, keys, code=codes["inhibitor"].pk, new_code="Citizens")
    assert "Choose a code or name a new one, not both." in response.content.decode()
    assert not Coding.objects.exists()


def test_it_refuses_a_new_code_named_like_an_existing_one(client, alice, codes, second):
    keys = [hit.key for hit, _, _ in _hits(client, alice).context["hits"]]
    response = _post(client, alice, keys, new_code="inhibitor")
    assert "already exists" in response.content.decode()
    assert not Coding.objects.exists()


def test_it_asks_for_at_least_one_ticked_hit_and_keeps_the_unticks(client, alice, codes, second):
    response = _post(client, alice, [], code=codes["inhibitor"].pk)
    page = response.content.decode()
    assert "Tick at least one hit to code." in page
    assert not re.search(r'name="hit"[^>]*checked', page)
    assert not Coding.objects.exists()


def test_it_ignores_a_hit_the_search_does_not_find(client, alice, codes, second):
    response = _post(client, alice, [f"{second.pk}:0:5"], code=codes["inhibitor"].pk)
    assert response.status_code == 200
    assert not Coding.objects.exists()


def test_it_skips_passages_already_coded_and_says_so(client, bob, codes, second):
    keys = [hit.key for hit, _, _ in _hits(client, bob).context["hits"]]
    _post(client, bob, keys[:2], code=codes["inhibitor"].pk)
    response = _post(client, bob, keys, code=codes["inhibitor"].pk)
    assert Coding.objects.count() == 4
    message = str(list(response.wsgi_request._messages)[-1])
    assert message == "Coded 2 passages with “Inhibitor”; 2 you had already coded with it."


def test_a_group_code_is_not_offered(client, alice, codes, second):
    keys = [hit.key for hit, _, _ in _hits(client, alice).context["hits"]]
    response = _post(client, alice, keys, code=codes["lenses"].pk)
    assert "code" in response.context["autocode"].errors
    assert not Coding.objects.exists()


def test_a_viewer_may_not_auto_code(client, vic, codes, second):
    assert _post(client, vic, [f"{second.pk}:0:8"], code=codes["inhibitor"].pk).status_code == 403


def test_a_stranger_gets_404(client, charlie, codes, second):
    assert _post(client, charlie, [], code=codes["inhibitor"].pk).status_code == 404
    assert client.get(SEARCH).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(second):
    assert Client().post(AUTOCODE, {"q": "citizens"})["Location"].startswith(reverse("login"))


def test_auto_coding_takes_only_posts(client, alice, second):
    client.force_login(alice)
    assert client.get(AUTOCODE).status_code == 405


def test_auto_coding_needs_the_csrf_token(alice, codes, second):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(SEARCH, {"q": "citizens"})
    key = page.context["hits"][0][0].key
    data = {"q": "citizens", "hit": [key], "unit": "hit", "code": codes["inhibitor"].pk}
    assert client.post(AUTOCODE, data).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    assert client.post(AUTOCODE, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert Coding.objects.get().quote == "Citizens"


def test_the_pattern_keeps_offsets_when_lower_case_is_longer():
    text = "İstanbul citizens"
    assert find_phrase(text, phrase_pattern("CITIZENS")) == [(9, 17)]


def test_the_pattern_does_not_start_inside_a_word():
    assert find_phrase("noncitizens citizens", phrase_pattern("citizens")) == [(12, 20)]


def test_it_shows_and_codes_only_the_first_hits_of_a_long_list(client, alice, second, monkeypatch):
    monkeypatch.setattr("codebook.views.search.MAX_HITS", 2)
    response = _hits(client, alice)
    assert response.context["total"] == 4
    assert len(response.context["hits"]) == 2
    assert "Only the first 2 are shown" in response.content.decode()


def test_it_auto_codes_the_hits_of_a_lemma_search(client, alice, codes, second):
    keys = [hit.key for hit, _, _ in _hits(client, alice, "citizen", lemma="on").context["hits"]]
    _post(client, alice, keys, q="citizen", lemma="on", code=codes["inhibitor"].pk)
    assert sorted(Coding.objects.values_list("quote", flat=True)) == [
        "CITIZENS", "Citizens", "citizens", "citizens",
    ]  # fmt: skip


def test_a_transcript_corrected_while_searching_codes_nothing(
    monkeypatch, client, alice, bob, codes, second
):
    from codebook.views import search as search_view
    from interviews.corrections import correct_transcript

    keys = [hit.key for hit, _, _ in _hits(client, bob).context["hits"]]
    found = search_view._hits

    def hits_then_corrected(form, study):
        hits = found(form, study)
        # The owner saves a correction after the hits were found, before they are coded.
        elsewhere = Interview.objects.get(pk=second.pk)
        correct_transcript(elsewhere, "A new first line.\n" + elsewhere.text, alice, 1)
        return hits

    monkeypatch.setattr(search_view, "_hits", hits_then_corrected)
    response = _post(client, bob, keys, code=codes["inhibitor"].pk)
    assert response.status_code == 200
    assert "corrected while you searched" in response.content.decode()
    assert not Coding.objects.exists()


def test_hits_ticked_before_a_correction_are_asked_for_again(client, alice, bob, codes, second):
    from interviews.corrections import correct_transcript

    keys = [hit.key for hit, _, _ in _hits(client, bob).context["hits"]]
    correct_transcript(second, "A new first line.\n" + second.text, alice, second.revision)
    response = _post(client, bob, keys, code=codes["inhibitor"].pk)
    assert response.status_code == 200
    assert "corrected meanwhile" in response.content.decode()
    assert not Coding.objects.exists()
