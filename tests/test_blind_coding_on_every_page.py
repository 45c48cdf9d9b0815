"""While a study is blind, a coder's pages tell nothing of the other coders' work.

Every page bob may read is read twice: in the study as it is, and after carol's codings,
memos, suggestions and the consensus layer are deleted. A page that differs between the
two showed bob something of that work: a coding, a memo, a name among the coders, a
count. And carol's rows named in an address answer as rows never made: neither a 403
nor a message tells bob that they exist.
"""

import re

import pytest
from django.db.models import Q

from codebook.models import (
    Coding,
    CodingAction,
    Memo,
    Origin,
    Settlement,
    Suggestion,
    SuggestionRun,
)
from tests.access_data import (
    ADDRESS_ROWS,
    STUDY_PAGES,
    address,
    each_page,
    form_naming,
    pilot_study,
    rolled_back,
    send,
)

CSRF_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|x-csrftoken": ")[^"]+')
# Rows of one coder that an address can name, and the other coder's row of each kind.
THEIRS = {
    "coding": "other_coding",
    "review_coding": "other_review_coding",
    "suggestion": "other_suggestion",
    "run": "other_run",
}


@pytest.fixture
def pilot(study, coded, codes, alice, bob, carol):
    return pilot_study(study, coded, codes, alice, bob, carol)


def text_of(response) -> str:
    body = b"".join(response) if response.streaming else response.content
    return CSRF_TOKEN.sub(r"\1…", body.decode(errors="replace"))


def ways_to_read(name: str, rows: dict):
    """(label, query, headers) of each way a page is read: plain, naming rows, as htmx."""
    htmx = {"hx_request": "true"}
    yield "plain", {}, {}
    yield "naming rows", form_naming(rows), {}
    yield "htmx", {}, htmx
    yield "htmx naming rows", form_naming(rows), htmx
    if name == "workbench":
        for part in ("sidebar", "coding-list", "coding-panel", "suggestions"):
            for coding in ("other_coding", "consensus"):
                query = {"part": part, "coding": rows[coding].pk, "suggestions": 1, "list": 1}
                yield f"{part} opening {coding}", query, htmx
    if name in ("analysis-matrix", "analysis-cooccurrence"):
        yield "csv", {"format": "csv"}, {}


def without_ids(response, ids) -> tuple[str, str]:
    """The response's body and redirect, with ``ids`` written as "‹id›"."""
    said = (text_of(response), response.get("Location", ""))
    for value in ids:
        said = tuple(re.sub(rf"\b{value}\b", "‹id›", part) for part in said)
    return said


def read_every_page(client, rows: dict) -> dict:
    return {
        (name, label): (response.status_code, text_of(response))
        for name, route in STUDY_PAGES
        for label, query, headers in ways_to_read(name, rows)
        for response in [client.get(address(name, route, rows), query, headers=headers)]
    }


def forget_the_work_of(coder) -> None:
    Coding.objects.filter(Q(coder=coder) | Q(origin=Origin.CONSENSUS)).delete()
    Settlement.objects.all().delete()
    Memo.objects.filter(author=coder).delete()
    Suggestion.objects.filter(coder=coder).delete()
    SuggestionRun.objects.filter(coder=coder).delete()
    CodingAction.objects.filter(coder=coder).delete()


def test_a_blind_coder_reads_the_same_pages_whatever_another_coder_did(
    client, subtests, pilot, bob, carol
):
    client.force_login(bob)
    with_carol = read_every_page(client, pilot)
    forget_the_work_of(carol)
    without_carol = read_every_page(client, pilot)
    for (name, label), answer in with_carol.items():
        with subtests.test(page=name, read=label):
            assert answer == without_carol[name, label]


def test_the_other_coders_rows_are_read_once_blindness_is_lifted(client, pilot, bob, carol):
    """The test above can see a difference: here, with the study no longer blind."""
    pilot["study"].blind_coding = False
    pilot["study"].save()
    client.force_login(bob)
    with_carol = read_every_page(client, pilot)
    forget_the_work_of(carol)
    assert read_every_page(client, pilot) != with_carol


@pytest.mark.parametrize("theirs", ["carol", "consensus"])
def test_another_coders_rows_in_an_address_are_as_unknown_as_rows_never_made(
    client, subtests, pilot, bob, theirs
):
    client.force_login(bob)
    pages = [
        (name, route)
        for name, route in STUDY_PAGES
        if set(ADDRESS_ROWS.get(name, {}).values()) & set(THEIRS)
    ]
    for name, route, method in each_page(pages):
        with subtests.test(page=name, method=method), rolled_back():
            ids = {
                parameter: pilot[THEIRS.get(row, row)].pk
                for parameter, row in ADDRESS_ROWS[name].items()
            }
            if theirs == "consensus" and "coding_id" in ids:
                ids["coding_id"] = pilot["consensus"].pk
            hidden = [p for p, row in ADDRESS_ROWS[name].items() if row in THEIRS]
            never_made = {**ids, **dict.fromkeys(hidden, 10**9)}
            unknown = send(client, method, address(name, route, pilot, ids=never_made), pilot, name)
            answer = send(client, method, address(name, route, pilot, ids=ids), pilot, name)
            assert answer.status_code == unknown.status_code
            assert without_ids(answer, [ids[p] for p in hidden]) == without_ids(unknown, [10**9])
