import re

import pytest
from django.test import Client
from django.urls import reverse

from codebook.models import Code, Coding
from interviews.models import Interview

pytestmark = pytest.mark.django_db

PAGES = ["agreement", "agreement-table-csv", "agreement-units-csv", "agreement-disagreements"]


def query(bob, carol, unit="turn", **extra):
    params = f"?coders={bob.pk}&coders={carol.pk}&unit={unit}"
    return params + "".join(f"&{key}={value}" for key, value in extra.items())


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["alice", "sam", "vic"])
def test_it_shows_agreement_to_owner_supervisor_and_viewer(
    client, request, coded, bob, carol, study, name, persona
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(name, args=[study.slug]) + query(bob, carol))
    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_it_refuses_a_coder_while_coding_is_blind(client, coded, bob, carol, study, name):
    client.force_login(bob)
    response = client.get(reverse(name, args=[study.slug]) + query(bob, carol))
    assert response.status_code == 403


def test_it_refuses_a_coder_the_disagreement_while_blind(client, coded, bob, carol, study):
    client.force_login(carol)
    url = reverse("agreement-disagreement", args=[study.slug, coded.pk])
    response = client.get(url + query(bob, carol, code=1, start=0, end=5))
    assert response.status_code == 403


def test_it_shows_a_coder_the_figures_once_blindness_is_lifted(client, coded, bob, carol, study):
    study.blind_coding = False
    study.save()
    client.force_login(bob)
    response = client.get(reverse("agreement", args=[study.slug]) + query(bob, carol))
    assert response.status_code == 200
    assert "Krippendorff" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_it_hides_agreement_from_strangers(client, coded, bob, carol, study, charlie, name):
    client.force_login(charlie)
    response = client.get(reverse(name, args=[study.slug]) + query(bob, carol))
    assert response.status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_anonymous_visitors_to_sign_in(client, study, name):
    response = client.get(reverse(name, args=[study.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_study_page_links_agreement_only_for_those_who_may_see_it(client, study, sam, bob):
    client.force_login(sam)
    url = reverse("study-detail", args=[study.slug])
    assert reverse("agreement", args=[study.slug]) in client.get(url).content.decode()
    client.force_login(bob)
    assert reverse("agreement", args=[study.slug]) not in client.get(url).content.decode()


def test_it_shows_one_row_per_code_per_group_and_overall(client, coded, sam, bob, carol, study):
    client.force_login(sam)
    page = client.get(reverse("agreement", args=[study.slug]) + query(bob, carol)).content
    page = page.decode()
    assert "Theoretical lenses/Sensemaking" in page
    assert "Group: Theoretical lenses" in page
    assert '<th scope="row">All codes</th>' in page
    assert '<th scope="col">Cohen\'s κ</th>' in page
    assert not re.search(r"\bnan\b", page, re.IGNORECASE)


def test_it_explains_an_undefined_coefficient_in_a_footnote(client, coded, sam, bob, carol, study):
    client.force_login(sam)
    page = client.get(reverse("agreement", args=[study.slug]) + query(bob, carol)).content
    page = page.decode()
    # bob and carol both coded identity work on the same one turn and nothing else.
    assert 'title="no variation in the values: expected disagreement is 0"' in page
    assert "No variation in the values: expected disagreement is 0." in page


def test_it_names_fleiss_kappa_for_three_coders(client, coded, sam, alice, bob, carol, study):
    client.force_login(sam)
    url = reverse("agreement", args=[study.slug]) + query(bob, carol) + f"&coders={alice.pk}"
    response = client.get(url)
    assert '<th scope="col">Fleiss\' κ</th>' in response.content.decode()


def test_it_asks_for_two_coders(client, coded, sam, bob, study):
    client.force_login(sam)
    url = reverse("agreement", args=[study.slug]) + f"?coders={bob.pk}&unit=turn"
    page = client.get(url).content.decode()
    assert "Pick two or more coders to compare." in page
    assert '<th scope="row">All codes</th>' not in page


def test_it_refuses_a_threshold_above_one_and_keeps_the_choices(
    client, coded, sam, bob, carol, study
):
    client.force_login(sam)
    url = reverse("agreement", args=[study.slug]) + query(bob, carol, threshold="1.5")
    page = client.get(url).content.decode()
    assert "less than or equal to 1" in page
    assert 'value="1.5"' in page


def test_it_renders_only_the_results_for_htmx(client, coded, sam, bob, carol, study):
    client.force_login(sam)
    url = reverse("agreement", args=[study.slug]) + query(bob, carol)
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert page.lstrip().startswith('<section id="results"')
    assert "<html" not in page


def test_it_escapes_code_names(client, coded, sam, bob, carol, study, make_coding):
    code = Code.objects.create(study=study, name="<script>alert(1)</script>")
    make_coding(coded, code, bob, "My job became opening doors.")
    client.force_login(sam)
    page = client.get(reverse("agreement", args=[study.slug]) + query(bob, carol)).content
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;" in page


def test_the_page_makes_a_bounded_number_of_queries(
    client, study, codes, bob, carol, sam, django_assert_max_num_queries
):
    for number in range(6):
        interview = Interview.objects.create(
            study=study, title=f"Interview {number}", text="One sentence. Another one here. " * 20
        )
        for coder in (bob, carol):
            for code in ("sensemaking", "identity", "inhibitor"):
                start = 14 * (number % 3) + (5 if coder == carol else 0)
                Coding.objects.create(
                    interview=interview,
                    code=codes[code],
                    coder=coder,
                    start=start,
                    end=start + 20,
                    quote=interview.text[start : start + 20],
                )
    client.force_login(sam)
    url = reverse("agreement", args=[study.slug]) + query(bob, carol, unit="sentence")
    client.get(url)  # fills the sentence cache
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert "Interview 5" in response.content.decode()


def test_the_settings_form_posts_with_csrf_protection(study, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("study-settings", args=[study.slug])
    page = client.get(url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(url, {"csrfmiddlewaretoken": token, "open_coding": "on"})
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.blind_coding is False and study.open_coding is True


def test_the_disagreement_list_makes_a_bounded_number_of_queries(
    client, study, codes, bob, carol, sam, django_assert_max_num_queries
):
    for number in range(6):
        interview = Interview.objects.create(
            study=study, title=f"Interview {number}", text="One sentence. Another one here. " * 20
        )
        for coder, start in ((bob, 0), (carol, 40)):
            Coding.objects.create(
                interview=interview,
                code=codes["sensemaking"],
                coder=coder,
                start=start,
                end=start + 20,
                quote=interview.text[start : start + 20],
            )
    client.force_login(sam)
    url = reverse("agreement-disagreements", args=[study.slug]) + query(bob, carol, "character")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("Settled 0 of 12.") == 1


@pytest.fixture
def many_disagreements(study, codes, bob):
    """120 passages only bob coded: 120 disagreements at character level."""
    interview = Interview.objects.create(study=study, title="Long", text="One sentence. " * 300)
    Coding.objects.bulk_create(
        Coding(interview=interview, code=codes["sensemaking"], coder=bob, start=start,
               end=start + 12, quote=interview.text[start : start + 12])
        for start in range(0, 120 * 28, 28)
    )  # fmt: skip
    return interview


def listed_links(response) -> list[str]:
    found = re.findall(
        r'href="(/s/pilot/agreement/disagreements/\d+/\?[^"]+)"', response.content.decode()
    )
    return [link.replace("&amp;", "&") for link in found]


def test_the_disagreement_list_shows_one_page_at_a_time(
    client, many_disagreements, bob, carol, sam, study
):
    client.force_login(sam)
    url = reverse("agreement-disagreements", args=[study.slug]) + query(bob, carol, "character")
    first = client.get(url)
    assert len(listed_links(first)) == 100
    text = first.content.decode()
    assert "Settled 0 of 120." in text and "Page 1 of 2" in text
    second = client.get(url + "&page=2")
    assert len(listed_links(second)) == 20
    assert not set(listed_links(first)) & set(listed_links(second))


def test_settling_from_the_second_page_returns_to_it(
    client, many_disagreements, bob, carol, sam, study
):
    client.force_login(sam)
    url = reverse("agreement-disagreements", args=[study.slug]) + query(bob, carol, "character")
    link = listed_links(client.get(url + "&page=2"))[0]
    response = client.post(link, {"choice": f"coder:{bob.pk}"})
    assert response.status_code == 302
    assert "page=2" in response["Location"]
    listed = client.get(response["Location"]).content.decode()
    assert "Settled 1 of 120." in listed
    assert listed.count(f"Settled by {sam.username}") == 1


def test_the_disagreement_page_makes_a_bounded_number_of_queries(
    client, coded, codes, study, bob, carol, sam, django_assert_max_num_queries
):
    start = coded.text.index("We asked")
    url = reverse("agreement-disagreement", args=[study.slug, coded.pk])
    url += query(bob, carol, "character", code=codes["sensemaking"].pk, start=start, end=start + 9)
    client.force_login(sam)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert "Settle into the consensus layer" in response.content.decode()


def test_it_lists_units_where_a_coder_applied_two_codes_of_a_group(
    client, coded, codes, sam, bob, carol, study, make_coding
):
    make_coding(coded, codes["identity"], bob, "We asked citizens to design the service")
    client.force_login(sam)
    url = reverse("agreement", args=[study.slug]) + query(bob, carol, unit="sentence")
    page = client.get(url).content
    page = page.decode()
    assert "1 unit where a coder applied two codes of one group" in page
    assert (
        "bob: Theoretical lenses/Identity work and Theoretical lenses/Sensemaking" in page
        or "bob: Theoretical lenses/Sensemaking and Theoretical lenses/Identity work" in page
    )


def test_a_study_without_codings_asks_for_coders_in_words(client, study, sam):
    client.force_login(sam)
    page = client.get(reverse("agreement", args=[study.slug])).content.decode()
    assert "Pick two or more coders to compare." in page
    assert "This field is required." not in page


def test_the_cache_keeps_every_figure_of_a_large_codebooks_page():
    # The agreement page of a 150-code study remembers about 400 figures (an interval
    # and unitizing alphas per row) and the matrices a word index per interview; the
    # default cache kept 300 entries and dropped the oldest third when full, so every
    # reload computed them again (2 s of the page on the large benchmark study).
    from django.core.cache import cache

    cache.clear()
    figures = {f"coprod:figure:{number}": number for number in range(2_000)}
    cache.set_many(figures)
    assert cache.get_many(list(figures)) == figures


@pytest.mark.parametrize("name", ["agreement-disagreements", "agreement-units-csv"])
def test_listing_disagreements_or_units_computes_no_figures(
    client, coded, bob, carol, sam, study, name, monkeypatch
):
    # The table's figures take seconds on a large study; these pages show none of them.
    from codebook.reliability import report

    def refuse(*args, **kwargs):
        raise AssertionError("the figures were computed")

    monkeypatch.setattr(report, "build_rows", refuse)
    client.force_login(sam)
    response = client.get(reverse(name, args=[study.slug]) + query(bob, carol, "sentence"))
    assert response.status_code == 200


def test_one_disagreement_computes_no_agreement_report(
    client, coded, codes, study, bob, carol, sam, monkeypatch
):
    from codebook.views import agreement

    def refuse(*args, **kwargs):
        raise AssertionError("the agreement report was computed")

    monkeypatch.setattr(agreement, "agreement_report", refuse)
    start = coded.text.index("We asked")
    url = reverse("agreement-disagreement", args=[study.slug, coded.pk])
    url += query(bob, carol, "sentence", code=codes["sensemaking"].pk, start=start, end=start + 9)
    client.force_login(sam)
    response = client.get(url)
    assert "Settle into the consensus layer" in response.content.decode()
    assert "unit: sentence" in response.content.decode()
