"""Paging the workbench's list of codings keeps the list it pages: its filter and layers."""

import re
from html import unescape

import pytest

from codebook.models import Coding
from codebook.workbench import CODINGS_PER_PAGE
from interviews.models import Turn


@pytest.fixture
def many_coded(interview, codes, bob, carol):
    """More than a page of codings for each of bob (Sensemaking) and carol (Inhibitor)."""
    text = interview.text
    spans = [
        (start, start + 5)
        for turn in Turn.objects.filter(interview=interview)
        for start in range(turn.start, turn.end - 5)
        if text[start : start + 5].strip() == text[start : start + 5]
    ]
    assert len(spans) > 2 * CODINGS_PER_PAGE
    Coding.objects.bulk_create(
        Coding(
            interview=interview, code=code, coder=coder, start=start, end=end, quote=text[start:end]
        )
        for code, coder in ((codes["sensemaking"], bob), (codes["inhibitor"], carol))
        for start, end in spans[: CODINGS_PER_PAGE + 10]
    )
    return interview


def listed_coders(html: str) -> set[str]:
    listed = html.split('class="coding-list"', 1)[1].split("</ol>", 1)[0]
    return set(re.findall(r'<span class="meta">([^<]+)</span>', listed))


def pager_link(html: str, rel_text: str) -> tuple[str, str]:
    """The (href, hx-get) of the pager's link named ``rel_text``."""
    pager = html.split('class="pager"', 1)[1].split("</nav>", 1)[0]
    match = re.search(rf'<a href="([^"]*)" hx-get="([^"]*)"[^>]*>{rel_text}</a>', pager)
    assert match, pager
    return unescape(match.group(1)), unescape(match.group(2))


def test_the_next_page_link_keeps_the_coder_filter_and_layers(client, sam, bob, carol, many_coded):
    client.force_login(sam)
    url = many_coded.get_absolute_url()
    first = client.get(
        url, {"list": "1", "coder": carol.pk, "layer": [f"c{bob.pk}", f"c{carol.pk}"]}
    )
    html = first.content.decode()
    assert listed_coders(html) == {"carol"}
    href, _ = pager_link(html, "Next")
    assert href.startswith("?")

    second = client.get(url + href).content.decode()
    assert "Page 2 of 2" in second
    assert listed_coders(second) == {"carol"}


def test_the_previous_page_link_keeps_the_code_filter_and_layers(
    client, sam, bob, carol, codes, many_coded
):
    client.force_login(sam)
    url = many_coded.get_absolute_url()
    params = {"list": "1", "code": codes["sensemaking"].pk, "page": "2"}
    params["layer"] = [f"c{bob.pk}", f"c{carol.pk}"]
    html = client.get(url, params).content.decode()
    assert listed_coders(html) == {"bob"}
    href, _ = pager_link(html, "Previous")

    first = client.get(url + href).content.decode()
    assert "Page 1 of 2" in first
    assert listed_coders(first) == {"bob"}


def test_the_pager_of_a_filtered_list_fetched_by_htmx_keeps_its_filter(
    client, sam, bob, carol, many_coded
):
    client.force_login(sam)
    url = many_coded.get_absolute_url()
    params = {"list": "1", "part": "coding-list", "coder": carol.pk}
    params["layer"] = [f"c{bob.pk}", f"c{carol.pk}"]
    html = client.get(url, params, headers={"HX-Request": "true"}).content.decode()
    href, hx_get = pager_link(html, "Next")

    whole_page = client.get(url + href).content.decode()
    assert "<html" in whole_page  # the plain link asks for the page, not only the list
    assert listed_coders(whole_page) == {"carol"}
    part = client.get(url + hx_get, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part
    assert listed_coders(part) == {"carol"}


def test_the_link_that_shows_the_list_keeps_the_layers(client, sam, bob, carol, many_coded):
    client.force_login(sam)
    url = many_coded.get_absolute_url()
    html = client.get(url, {"layer": [f"c{carol.pk}"]}).content.decode()
    href = unescape(re.search(r'<a href="([^"]*)"[^>]*>Show the list of codings</a>', html)[1])

    shown = client.get(url + href.split("#")[0]).content.decode()
    assert listed_coders(shown) == {"carol"}
