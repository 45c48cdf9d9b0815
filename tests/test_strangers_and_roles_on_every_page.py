"""Every page of a study, walked from the URL configuration with the real ids of its rows.

A signed-in stranger to a study gets 404 and none of its words; a member of one study
who names the rows of another (in the address, the query string or the form) neither
reads nor changes them; a member whose role does not allow a page or a change gets
403 and the study stays as it was; no GET changes anything. A new page whose address this module
cannot fill, or whose changes it does not know, makes a test here fail, so it is
covered too.
"""

import pytest

from tests.access_data import (
    ADDRESS_ROWS,
    HARBOUR_WORDS,
    PARAMETER,
    STUDY_PAGES,
    address,
    each_page,
    harbour_study,
    pilot_study,
    rolled_back,
    rows_across_studies,
    rows_of,
    send,
    words_found,
)


def _code(role, study):
    return role.can_code()


def _add_codes(role, study):
    return role.can_add_codes(study)


def _import(role, study):
    return role.can_import()


def _manage(role, study):
    return role.can_manage()


def _reshape(role, study):
    return role.can_reshape_codebook()


def _review(role, study):
    return role.can_review()


def _see_others(role, study):
    return role.sees_other_coders(study)


# The pages whose POST changes the study, and who may make the change. Every other
# page's POST changes nothing, whoever sends it.
MAY_CHANGE = {
    "import-interviews": _import,
    "pending-import": _import,
    "participants": _import,
    "correct-transcript": _import,
    "study-settings": _manage,
    "study-members": _manage,
    "study-member-role": _manage,
    "study-member-remove": _manage,
    "coding-add": _code,
    "coding-new-code": _add_codes,
    "coding-change": _code,
    "coding-delete": _code,
    "coding-undo": _code,
    "coding-redo": _code,
    "workbench-code-add": _add_codes,
    "suggestion-run-start": _code,
    "suggestion-accept-all": _code,
    "suggestion-accept": _code,
    "suggestion-reject": _code,
    "suggestion-quality": _review,
    "codebook-add": _add_codes,
    "codebook-open-coding": _manage,
    "codebook-code": _reshape,
    "codebook-move": _reshape,
    "codebook-reorder": _reshape,
    "codebook-merge": _reshape,
    "codebook-split": _reshape,
    "codebook-delete": _reshape,
    "codebook-versions": _reshape,
    "codebook-import": _reshape,
    "review-anchor": _code,
    "agreement-disagreement": _review,
    "search-autocode": _code,
}
# The pages not every member may read (a GET of the others needs membership only).
MAY_READ = {
    "import-interviews": _import,
    "correct-transcript": _import,
    "study-settings": _manage,
    "study-members": _manage,
    "study-member-remove": _manage,
    "suggestion-run": _code,
    "suggestion-quality": _review,
    "codebook-add": _add_codes,
    "codebook-merge": _reshape,
    "codebook-split": _reshape,
    "codebook-delete": _reshape,
    "codebook-import": _reshape,
    "export-qdpx": _review,
    "export-backup": _manage,
    "review-anchors": _code,
    "review-anchor-choose": _code,
    "agreement": _see_others,
    "agreement-table-csv": _see_others,
    "agreement-units-csv": _see_others,
    "agreement-disagreements": _see_others,
    "agreement-disagreement": _see_others,
}
# Pages that change the coder's own rows (the address names bob's coding, suggestion...).
BOBS_OWN = {
    "coding-add",
    "coding-change",
    "coding-delete",
    "coding-undo",
    "coding-redo",
    "suggestion-run-start",
    "suggestion-accept-all",
    "suggestion-accept",
    "suggestion-reject",
    "review-anchor",
    "search-autocode",
}
# Pages that refuse in the workbench's status line, which htmx would not swap in for a 403:
# the workbench offers in-vivo coding (key I) to every coder and says so when they may not.
REFUSED_IN_THE_PAGE = {"coding-new-code"}
# Rows a page may write while it is read: a cache of the sentences of a transcript.
CACHES = {"codebook.SentenceCache"}


@pytest.fixture
def pilot(study, coded, codes, alice, bob, carol):
    return pilot_study(study, coded, codes, alice, bob, carol)


@pytest.fixture
def harbour(charlie):
    return harbour_study(charlie)


def pilot_words(rows: dict) -> list[str]:
    return [
        rows["study"].title,
        rows["interview"].title,
        "frontline staff",
        "Sensemaking",
        "Identity work",
        rows["participant"].label,
        "Carol's own memo",
    ]


def test_every_page_of_a_study_is_filled_with_real_ids():
    unfilled = [
        (name, parameter)
        for name, route in STUDY_PAGES
        for parameter in PARAMETER.findall(route)
        if parameter != "slug" and parameter not in ADDRESS_ROWS.get(name, {})
    ]
    assert not unfilled, "add these pages' parameters to ADDRESS_ROWS"


def test_every_page_is_in_a_study_or_listed_as_outside_one():
    outside = [name for name, route in STUDY_PAGES if "<slug:slug>" not in route]
    assert not outside, "a page outside every study belongs in OUTSIDE_STUDIES"
    assert len(STUDY_PAGES) > 50


def test_a_stranger_gets_404_and_none_of_the_study(client, subtests, pilot, harbour, charlie):
    """charlie codes in another study, and is a stranger to this one."""
    before = rows_of(pilot["study"])
    client.force_login(charlie)
    for name, route, method in each_page():
        with subtests.test(page=name, method=method), rolled_back():
            response = send(client, method, address(name, route, pilot), pilot, name)
            elsewhere = address(name, route, pilot, slug="no-such-study")
            nowhere = send(client, method, elsewhere, pilot, name)
            # A view that takes only POST refuses a GET before it looks at the study: a 405
            # that a study which does not exist gets too tells nothing.
            assert response.status_code == nowhere.status_code
            assert response.status_code in (404, 405)
            assert not words_found(response, pilot_words(pilot))
            assert rows_of(pilot["study"]) == before


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_ids_of_another_study_in_the_address_are_not_found(
    client, subtests, request, pilot, harbour, persona
):
    """The harbour study's rows under the pilot's slug are as unknown as rows never made."""
    before = rows_of(harbour["study"])
    client.force_login(request.getfixturevalue(persona))
    naming_rows = [(name, route) for name, route in STUDY_PAGES if ADDRESS_ROWS.get(name)]
    for name, route, method in each_page(naming_rows):
        with subtests.test(page=name, method=method), rolled_back():
            theirs = {
                parameter: harbour[row].number if parameter == "number" else harbour[row].pk
                for parameter, row in ADDRESS_ROWS[name].items()
            }
            never_made = address(name, route, pilot, ids=dict.fromkeys(theirs, 10**9))
            unknown = send(client, method, never_made, pilot, name)
            response = send(client, method, address(name, route, pilot, ids=theirs), pilot, name)
            assert response.status_code == unknown.status_code
            assert not words_found(response, HARBOUR_WORDS)
            assert rows_of(harbour["study"]) == before
            assert not rows_across_studies()


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_ids_of_another_study_in_forms_neither_read_nor_change_it(
    client, subtests, request, pilot, harbour, persona
):
    """The pilot's own pages, given the harbour study's codes, codings, interviews..."""
    before = rows_of(harbour["study"])
    client.force_login(request.getfixturevalue(persona))
    for name, route, method in each_page():
        with subtests.test(page=name, method=method), rolled_back():
            response = send(client, method, address(name, route, pilot), harbour, name)
            assert not words_found(response, HARBOUR_WORDS)
            assert rows_of(harbour["study"]) == before
            assert not rows_across_studies()


def test_every_page_named_here_exists():
    """A new page that changes the study goes into MAY_CHANGE, with who may: the owner's
    POST to any other page must change nothing (below)."""
    names = {name for name, _ in STUDY_PAGES}
    assert set(MAY_CHANGE) | set(MAY_READ) | BOBS_OWN | REFUSED_IN_THE_PAGE <= names


@pytest.mark.parametrize("name", sorted(MAY_CHANGE))
def test_a_member_allowed_to_changes_the_study(client, pilot, alice, bob, name):
    """The forms of these tests are ones that work: refusals below are refusals of a change."""
    routes = dict(STUDY_PAGES)
    client.force_login(bob if name in BOBS_OWN else alice)
    if name == "coding-redo":  # something to redo
        undo = address("coding-undo", routes["coding-undo"], pilot)
        send(client, "post", undo, pilot, "coding-undo")
    before = rows_of(pilot["study"])
    response = send(client, "post", address(name, routes[name], pilot), pilot, name)
    assert response.status_code in (200, 302)
    assert rows_of(pilot["study"]) != before


@pytest.mark.parametrize(
    ("persona", "open_coding"),
    [("vic", False), ("bob", False), ("bob", True), ("sam", False), ("alice", False)],
)
def test_a_role_that_may_not_change_gets_403_and_nothing_changes(
    client, subtests, request, pilot, persona, open_coding
):
    study = pilot["study"]
    study.open_coding = open_coding
    study.save()
    user = request.getfixturevalue(persona)
    role = study.role_of(user)
    before = rows_of(study)
    client.force_login(user)
    for name, route in STUDY_PAGES:
        allowed = MAY_CHANGE.get(name)
        if allowed is not None and allowed(role, study):
            continue
        with subtests.test(page=name), rolled_back():
            url = address(name, route, pilot)
            response = send(client, "post", url, pilot, name)
            if name in REFUSED_IN_THE_PAGE and role.can_code():
                answer = send(client, "post", url, pilot, name, hx_request="true")
                assert "does not allow" in answer.content.decode()
            elif allowed is not None:
                assert response.status_code == 403
            assert rows_of(study) == before


@pytest.mark.parametrize(
    ("persona", "open_coding"),
    [("alice", False), ("sam", False), ("bob", False), ("bob", True), ("vic", False)],
)
def test_a_member_reads_what_their_role_allows_and_reading_changes_nothing(
    client, subtests, request, pilot, persona, open_coding
):
    study = pilot["study"]
    study.open_coding = open_coding
    study.save()
    user = request.getfixturevalue(persona)
    role = study.role_of(user)
    before = rows_of(study, leave_out=CACHES)
    client.force_login(user)
    for name, route in STUDY_PAGES:
        with subtests.test(page=name), rolled_back():
            response = send(client, "get", address(name, route, pilot), pilot, name)
            send(client, "get", address(name, route, pilot), pilot, name, hx_request="true")
            allowed = MAY_READ.get(name, lambda role, study: True)(role, study)
            assert (response.status_code == 403) is not allowed
            assert response.status_code != 404
            assert rows_of(study, leave_out=CACHES) == before
