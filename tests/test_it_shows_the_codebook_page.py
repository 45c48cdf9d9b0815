"""The codebook page and a code's page: tree, counts, entry editing, conflicts, escaping."""

import pytest
from django.test import Client
from django.urls import reverse

from codebook import tree
from codebook.models import Code


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_codes_with_counts(study, interview, codes, sam, bob, carol, make_coding):
    make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    make_coding(interview, codes["inhibitor"], carol, "The budget was tight")
    response = _client(sam).get(reverse("codebook", args=[study.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Theoretical lenses" in html and "grouping only" in html
    assert "2 codings · 1 interview · 2 coders" in html


def test_it_counts_only_a_blind_coders_own_codings(
    study, interview, codes, bob, carol, make_coding
):
    make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    make_coding(interview, codes["inhibitor"], carol, "The budget was tight")
    html = _client(bob).get(reverse("codebook", args=[study.slug])).content.decode()
    assert "1 coding · 1 interview · 1 coder" in html


@pytest.mark.parametrize(
    ("persona", "said"),
    [
        ("sam", "2 codings in 1 interview by 2 coders"),
        ("bob", "1 coding in 1 interview by 1 coder"),
    ],
)
def test_a_codes_page_counts_its_codings(
    request, study, interview, codes, bob, carol, make_coding, persona, said
):
    make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    make_coding(interview, codes["inhibitor"], carol, "The budget was tight")
    make_coding(interview, codes["identity"], carol, "I had to learn to let go.")
    url = reverse("codebook-code", args=[study.slug, codes["inhibitor"].pk])
    html = _client(request.getfixturevalue(persona)).get(url).content.decode()
    assert said in html


def test_it_needs_few_queries_for_a_large_codebook(
    study, codes, sam, django_assert_max_num_queries
):
    for number in range(40):
        Code.objects.create(study=study, parent=codes["lenses"], name=f"Code {number}")
    client = _client(sam)
    with django_assert_max_num_queries(6):
        client.get(reverse("codebook", args=[study.slug]))


def test_it_escapes_code_names_and_definitions(study, sam, alice):
    tree.add_code(study, alice, "<img src=x onerror=alert(1)>", definition="<b>bold</b>")
    html = _client(sam).get(reverse("codebook", args=[study.slug])).content.decode()
    assert "<img src=x onerror=alert(1)>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>bold</b>" not in html


def _entry(code, **changes):
    data = {
        "name": code.name,
        "colour": code.colour,
        "shortcut": code.shortcut,
        "definition": code.definition,
        "version": code.version,
    }
    return {**data, **changes}


def test_it_saves_an_entry(study, codes, sam):
    url = reverse("codebook-code", args=[study.slug, codes["inhibitor"].pk])
    response = _client(sam).post(url, _entry(codes["inhibitor"], definition="Holds back"))
    assert response.status_code == 302
    codes["inhibitor"].refresh_from_db()
    assert codes["inhibitor"].definition == "Holds back"
    assert codes["inhibitor"].version == 2


def test_it_shows_both_values_when_a_save_conflicts(study, codes, sam, alice):
    url = reverse("codebook-code", args=[study.slug, codes["inhibitor"].pk])
    stale = _entry(codes["inhibitor"], definition="Sam's words")
    tree.edit_code(codes["inhibitor"], alice, 1, definition="Alice's words")
    response = _client(sam).post(url, stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this code" in html
    assert "Sam&#x27;s words" in html and "Alice&#x27;s words" in html
    assert 'name="version" value="2"' in html
    codes["inhibitor"].refresh_from_db()
    assert codes["inhibitor"].definition == "Alice's words"


def test_it_renders_the_entry_form_partial_for_htmx(study, codes, sam):
    url = reverse("codebook-code", args=[study.slug, codes["inhibitor"].pk])
    response = _client(sam).post(url, _entry(codes["inhibitor"], name=""), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="entry-form"' in html and "<html" not in html


def test_it_refuses_a_post_without_csrf_token(study, codes, sam):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sam)
    url = reverse("codebook-code", args=[study.slug, codes["inhibitor"].pk])
    assert client.post(url, _entry(codes["inhibitor"], definition="x")).status_code == 403


@pytest.mark.parametrize("direction", ["up", "down"])
def test_it_reorders_by_htmx_and_returns_the_tree(study, codes, sam, direction):
    url = reverse("codebook-reorder", args=[study.slug, codes["sensemaking"].pk])
    response = _client(sam).post(url, {"direction": direction}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="code-tree"' in response.content.decode()
    siblings = list(codes["lenses"].children.values_list("name", flat=True))
    assert siblings == (
        ["Sensemaking", "Identity work"] if direction == "up" else ["Identity work", "Sensemaking"]
    )


def test_it_moves_a_code_by_its_form(study, codes, sam):
    url = reverse("codebook-move", args=[study.slug, codes["inhibitor"].pk])
    _client(sam).post(url, {"parent": codes["lenses"].pk, "place": "1"})
    codes["inhibitor"].refresh_from_db()
    assert codes["inhibitor"].parent == codes["lenses"]
    assert codes["inhibitor"].position == 0


def test_a_wrong_place_is_named_as_the_problem_not_the_parent(study, codes, sam):
    url = reverse("codebook-move", args=[study.slug, codes["inhibitor"].pk])
    response = _client(sam).post(url, {"parent": codes["lenses"].pk, "place": "0"}, follow=True)
    html = response.content.decode()
    assert "Give its place as a whole number from 1" in html
    assert "Choose a parent the code can move under." not in html
    codes["inhibitor"].refresh_from_db()
    assert codes["inhibitor"].parent != codes["lenses"]


def test_it_asks_before_merging_and_says_how_many(study, interview, codes, sam, bob, make_coding):
    make_coding(interview, codes["identity"], bob, "The budget was tight")
    url = reverse("codebook-merge", args=[study.slug, codes["identity"].pk])
    client = _client(sam)
    response = client.post(url, {"target": codes["sensemaking"].pk})
    assert "1 coding will move" in response.content.decode()
    assert Code.objects.filter(pk=codes["identity"].pk).exists()
    response = client.post(url, {"target": codes["sensemaking"].pk, "confirm": "on"})
    assert response.status_code == 302
    assert not Code.objects.filter(pk=codes["identity"].pk).exists()


def test_it_asks_before_splitting(study, interview, codes, sam, bob, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    url = reverse("codebook-split", args=[study.slug, codes["inhibitor"].pk])
    client = _client(sam)
    response = client.post(url, {"codings": [coding.pk], "new_name": "Budget"})
    assert "Move 1 coding from" in response.content.decode()
    client.post(url, {"codings": [coding.pk], "new_name": "Budget", "confirm": "on"})
    coding.refresh_from_db()
    assert coding.code.name == "Budget"


def test_it_explains_why_a_used_code_cannot_be_deleted(
    study, interview, codes, sam, bob, make_coding
):
    make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    client = _client(sam)
    url = reverse("codebook-delete", args=[study.slug, codes["inhibitor"].pk])
    assert "cannot be deleted: it has 1 coding" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "has 1 coding" in response.content.decode()
    assert Code.objects.filter(pk=codes["inhibitor"].pk).exists()


def test_the_owner_toggles_open_coding(study, alice):
    _client(alice).post(reverse("codebook-open-coding", args=[study.slug]), {"open_coding": "on"})
    study.refresh_from_db()
    assert study.open_coding


def test_it_moves_by_htmx_and_says_where_the_code_now_is(study, codes, sam):
    url = reverse("codebook-move", args=[study.slug, codes["inhibitor"].pk])
    response = _client(sam).post(url, {"parent": codes["lenses"].pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="code-tree"' in html
    assert 'data-said="“Inhibitor” is now under “Theoretical lenses”, 3 of 3."' in html
    codes["inhibitor"].refresh_from_db()
    assert codes["inhibitor"].parent == codes["lenses"]


def test_a_move_refused_by_htmx_says_why_and_keeps_the_tree(study, codes, sam):
    Code.objects.create(study=study, name="Sensemaking", parent=codes["inhibitor"])
    url = reverse("codebook-move", args=[study.slug, codes["sensemaking"].pk])
    response = _client(sam).post(url, {"parent": codes["inhibitor"].pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="code-tree"' in html
    assert 'data-said="There is already a code “Sensemaking” under “Inhibitor”."' in html
    assert f'href="/s/pilot/codebook/codes/{codes["sensemaking"].pk}/" autofocus' in html
    codes["sensemaking"].refresh_from_db()
    assert codes["sensemaking"].parent == codes["lenses"]


def test_a_wrong_place_by_htmx_is_said(study, codes, sam):
    url = reverse("codebook-move", args=[study.slug, codes["inhibitor"].pk])
    response = _client(sam).post(url, {"parent": "", "place": "0"}, HTTP_HX_REQUEST="true")
    assert "Give its place as a whole number from 1" in response.content.decode()
