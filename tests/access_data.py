"""Studies with a row of every kind, and every page of a study filled with their ids.

Plain functions for the access tests, no fixtures.

``fill_every_kind`` gives a study a row of every table a page of a study can name
in its address, its query string or its form: codings by two coders, one of them
with a memo and an undo step, a settled disagreement, a suggestion from a run, a
coding to review, a pending import, a transcript version, a frozen codebook
version, memos and memberships. ``harbour_study`` builds a second study whose
words appear nowhere in the first, so that a page leaking it can be caught by
its text. ``STUDY_PAGES`` walks the URL configuration; ``address`` fills a page's
address and ``form_naming`` its query string and form with a study's rows.
"""

import re
from contextlib import contextmanager
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import URLPattern, URLResolver, get_resolver

from codebook import codings as coding_steps
from codebook.exchange.backup import BACKUP_TABLES, LEFT_OUT_TABLES
from codebook.history import freeze_version, record_change
from codebook.models import (
    AnchorStatus,
    ChangeKind,
    Code,
    Coding,
    Memo,
    Suggestion,
    SuggestionRun,
)
from codebook.reliability.settle import settle_disagreement
from interviews.models import (
    Interview,
    InterviewRevision,
    Membership,
    Participant,
    ParticipantAttribute,
    PendingImport,
    Role,
    Study,
    Turn,
)

HARBOUR_TEXT = (
    "Skipper: The lighthouse keepers mended the trawler nets every Thursday.\n\n"
    "Skipper: Our quay committee wrote the mooring rules with the ferrymen."
)
# Words of the harbour study found nowhere in the pilot study or on any page's frame.
HARBOUR_WORDS = [
    "Harbour logbook",
    "Trawler, second visit",
    "lighthouse keepers",
    "mooring rules",
    "Seafaring",
    "Knots and ropes",
    "Quayside",
    "Skipper Ahab",
    "Foghorn memo",
    "Barnacles",
    "gull-private",
    "dora",
    "edwin",
]


def fill_every_kind(study, interview, codes, owner, coder, other_coder, words, memo, spare_name):
    """Add to a coded study the rows no fixture makes; return them by name.

    ``words`` are (coder's coding, other coder's coding) passages of ``codes["identity"]``
    and a passage of ``codes["inhibitor"]``: the first is coded through the workbench's
    own function, so the coder has an undo step; ``memo`` is the other coder's memo on
    their coding and on the interview; ``spare_name`` names a code nobody applied.
    Both coders get a coding to review, a suggestion run and a suggestion.
    """
    mine, theirs, third = words
    text = interview.text
    coding, _ = coding_steps.apply_code(
        interview, coder, codes["identity"], text.index(mine), text.index(mine) + len(mine)
    )
    start = text.index(theirs)
    other = Coding.objects.create(
        interview=interview,
        code=codes["identity"],
        coder=other_coder,
        start=start,
        end=start + len(theirs),
        quote=theirs,
        memo=memo,
    )
    span = (min(coding.start, other.start), max(coding.end, other.end))
    settlement = settle_disagreement(
        interview=interview,
        code=codes["identity"],
        span=span,
        unit="character",
        coders=[coder.pk, other_coder.pk],
        choice="both",
        user=owner,
    )
    mine_to_review, my_run, my_suggestion = _worked_on(interview, codes, coder, third)
    theirs_to_review, their_run, their_suggestion = _worked_on(interview, codes, other_coder, third)
    revision = InterviewRevision.objects.create(
        interview=interview, number=1, author=owner, old_text=text + " draft", new_text=text
    )
    pending = PendingImport.objects.create(
        study=study,
        uploader=owner,
        filename="upload.txt",
        text=text,
        turns=[[None, 0, len(text), None]],
    )
    record_change(study, owner, ChangeKind.EDIT, codes["inhibitor"], before={}, after={})
    version = freeze_version(study, owner, "first draft")
    Memo.objects.create(study=study, interview=interview, author=other_coder, text=memo)
    my_memo = Memo.objects.create(study=study, interview=interview, author=coder, text="A memo.")
    spare = Code.objects.create(study=study, name=spare_name)
    return {
        "study": study,
        "interview": interview,
        "participant": interview.participant,
        "code": codes["identity"],
        "other_code": codes["inhibitor"],
        "spare_code": spare,
        "coding": coding,
        "other_coding": other,
        "consensus": settlement.consensus_codings.first(),
        "settlement": settlement,
        "review_coding": mine_to_review,
        "run": my_run,
        "suggestion": my_suggestion,
        "other_review_coding": theirs_to_review,
        "other_run": their_run,
        "other_suggestion": their_suggestion,
        "revision": revision,
        "pending": pending,
        "version": version,
        "memo": my_memo,
        "membership": Membership.objects.get(study=study, user=other_coder),
        "coder": coder,
        "other_coder": other_coder,
    }


def pilot_study(study, interview, codes, alice, bob, carol):
    """Fill the conftest's coded study: bob codes, carol is the other coder, alice owns it."""
    words = ("My job became opening doors.", "became opening doors", "What did that mean for you")
    memo = "Carol's own memo"
    return fill_every_kind(study, interview, codes, alice, bob, carol, words, memo, "Unused idea")


def _worked_on(interview, codes, coder, words):
    """Give the coder a coding to review, a suggestion run and a suggestion; return them."""
    start = interview.text.index(words)
    to_review = Coding.objects.create(
        interview=interview,
        code=codes["inhibitor"],
        coder=coder,
        start=start,
        end=start + len(words),
        quote=words,
        anchor_status=AnchorStatus.CHANGED,
    )
    run = SuggestionRun.objects.create(
        study=interview.study,
        interview=interview,
        suggester="terms",
        coder=coder,
        requested_by=coder,
    )
    suggestion = Suggestion.objects.create(
        interview=interview,
        code=codes["identity"],
        coder=coder,
        start=start,
        end=start + len(words),
        score=0.9,
        suggester="terms",
        model_version="test",
        run=run,
    )
    return to_review, run, suggestion


def harbour_study(stranger):
    """A second study, owned by dora, coded by edwin and ``stranger``; return its rows."""
    users = get_user_model().objects
    dora = users.create_user("dora", password="pw-dora")
    edwin = users.create_user("edwin", password="pw-edwin")
    study = Study.objects.create(title="Harbour logbook", slug="harbour")
    for user, role in [(dora, Role.OWNER), (edwin, Role.CODER), (stranger, Role.CODER)]:
        Membership.objects.create(study=study, user=user, role=role)
    participant = Participant.objects.create(study=study, label="Skipper Ahab")
    ParticipantAttribute.objects.create(participant=participant, name="vessel", value="Quayside")
    interview = Interview.objects.create(
        study=study, participant=participant, title="Trawler, second visit", text=HARBOUR_TEXT
    )
    position = 0
    for paragraph in HARBOUR_TEXT.split("\n\n"):
        label = len("Skipper: ")
        Turn.objects.create(
            interview=interview,
            speaker="Skipper",
            speaker_role="participant",
            start=position + label,
            end=position + len(paragraph),
        )
        position += len(paragraph) + 2
    parent = Code.objects.create(study=study, name="Seafaring", grouping_only=True)
    codes = {
        "parent": parent,
        "identity": Code.objects.create(study=study, parent=parent, name="Knots and ropes"),
        "inhibitor": Code.objects.create(study=study, name="Quayside"),
    }
    Memo.objects.create(study=study, code=codes["inhibitor"], author=dora, text="Foghorn memo")
    words = ("The lighthouse keepers", "lighthouse keepers mended", "the mooring rules")
    return fill_every_kind(
        study, interview, codes, dora, edwin, stranger, words, "A gull-private memo", "Barnacles"
    )


def _tables():
    tables = [(table.model, table.study_lookup) for table in BACKUP_TABLES]
    lookups = {
        "codebook.CodingAction": "interview__study",
        "codebook.LearnedModel": "study",
        "codebook.SuggestionQuality": "study",
    }
    assert set(lookups) == set(LEFT_OUT_TABLES), "a table left out of backups is missing here"
    return tables + [(apps.get_model(label), lookup) for label, lookup in lookups.items()]


def rows_of(study, leave_out=()) -> dict:
    """Every row of every table that belongs to ``study``, as plain values, to compare.

    ``leave_out``: labels of tables not to compare.
    """
    return {
        model._meta.label: sorted(
            model.objects.filter(**{lookup: study.pk}).values_list(), key=lambda row: row[0]
        )
        for model, lookup in _tables()
        if model._meta.label not in leave_out
    }


def rows_across_studies() -> list[str]:
    """Name every row that refers to a row of another study (a code, an interview...)."""
    studies = dict(_tables())
    found = []
    for model, lookup in _tables():
        if lookup == "pk":
            continue
        for field in model._meta.concrete_fields:
            target = field.related_model
            if not field.is_relation or target not in studies or studies[target] == "pk":
                continue
            mixed = model.objects.filter(**{f"{field.name}__isnull": False}).exclude(
                **{lookup: F(f"{field.name}__{studies[target]}")}
            )
            found += [f"{model._meta.label} {pk} → {field.name}" for pk in mixed.values_list("pk")]
    return found


# Pages outside any study: the sign-in page, the study list, and making a new study.
OUTSIDE_STUDIES = {"login", "logout", "study-list", "import-qdpx", "import-backup"}

# What each page's address names besides the study's slug: parameter -> row of the study.
ADDRESS_ROWS = {
    "pending-import": {"pk": "pending"},
    "correct-transcript": {"pk": "interview"},
    "interview-revisions": {"pk": "interview"},
    "interview-revision": {"pk": "interview", "number": "revision"},
    "study-member-role": {"pk": "membership"},
    "study-member-remove": {"pk": "membership"},
    "workbench": {"pk": "interview"},
    "coding-add": {"pk": "interview"},
    "coding-new-code": {"pk": "interview"},
    "coding-change": {"pk": "interview", "coding_id": "coding"},
    "coding-delete": {"pk": "interview", "coding_id": "coding"},
    "coding-undo": {"pk": "interview"},
    "coding-redo": {"pk": "interview"},
    "workbench-code-add": {"pk": "interview"},
    "suggestion-run-start": {"pk": "interview"},
    "suggestion-accept-all": {"pk": "interview"},
    "suggestion-accept": {"pk": "interview", "sid": "suggestion"},
    "suggestion-reject": {"pk": "interview", "sid": "suggestion"},
    "suggestion-run": {"run_id": "run"},
    "codebook-code": {"pk": "code"},
    "codebook-move": {"pk": "code"},
    "codebook-reorder": {"pk": "code"},
    "codebook-merge": {"pk": "code"},
    "codebook-split": {"pk": "code"},
    "codebook-delete": {"pk": "spare_code"},
    "review-anchor": {"pk": "review_coding"},
    "review-anchor-choose": {"pk": "review_coding"},
    "agreement-disagreement": {"pk": "interview"},
}
# Pages that act on the form's "action": the one that changes the most.
ACTIONS = {"pending-import": "save", "review-anchor": "delete"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":  # the admin is for the site's administrator
                yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern)


ROUTES = list(_walk(get_resolver().url_patterns))
STUDY_PAGES = [(name, route) for name, route in ROUTES if name not in OUTSIDE_STUDIES]
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def each_page(pages=None) -> list[tuple[str, str, str]]:
    """Every (name, route, method) of the pages, by default every page of a study."""
    return [(name, route, method) for name, route in pages or STUDY_PAGES for method in METHODS]


METHODS = ("get", "post")


@contextmanager
def rolled_back():
    """Undo what a request changed, so that one study serves every page of a test."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def address(name: str, route: str, rows: dict, slug: str | None = None, ids=None) -> str:
    """Fill the route with the study's slug and its rows' ids (or ``ids``: parameter -> id)."""

    def fill(match):
        parameter = match.group(1)
        if parameter == "slug":
            return slug or rows["study"].slug
        if ids is not None:
            return str(ids[parameter])
        row = rows[ADDRESS_ROWS[name][parameter]]
        return str(row.number if parameter == "number" else row.pk)

    return "/" + PARAMETER.sub(fill, route)


def form_naming(rows: dict) -> dict:
    """Every field a page reads from a query string or a form, naming the study's rows.

    The values make each page's change go through for a member allowed to make it.
    """
    code, other_code = rows["code"].pk, rows["other_code"].pk
    coding, interview = rows["coding"], rows["interview"]
    the = re.search(r"\bthe\b", interview.text.lower())
    return {
        "code": code,
        "parent": other_code,
        "target": other_code,
        "codes": [code, other_code],
        "only": code,
        "with_code": other_code,
        "without_code": other_code,
        "scode": code,
        "coding": coding.pk,
        "codings": [coding.pk, rows["other_coding"].pk, rows["consensus"].pk],
        "interview": interview.pk,
        "interviews": interview.pk,
        "participant": rows["participant"].pk,
        "coder": [rows["coder"].pk, rows["other_coder"].pk],
        "coders": [rows["coder"].pk, rows["other_coder"].pk],
        "layer": f"c{rows['other_coder'].pk}",
        "listed": rows["suggestion"].pk,
        "older": rows["version"].pk,
        "newer": rows["version"].pk,
        # Not the coder's own passage: coding it again would change nothing.
        "start": rows["other_coding"].start,
        "end": rows["other_coding"].end,
        "revision": interview.revision,
        "unit": "turn",
        "choice": "both",
        "confirm": "on",
        "memo": "Changed memo",
        "name": "A new code",
        "note": "A note",
        "title": "A new interview",
        "text": "Interviewer: Corrected words?\n\nManager A: Yes.",
        "q": "the",
        "hit": f"{interview.pk}:{the.start()}:{the.end()}",
        "direction": "down",
        "suggester": "terms",
        "role": Role.OWNER,
        "account": "charlie",
        "open_coding": "on",
        "colour": "#123456",
        "version": rows["code"].version,
    }


def uploads() -> dict:
    """Files for the pages that take them: a transcript, attributes, a codebook."""
    return {
        "files": SimpleUploadedFile("more.txt", b"Interviewer: Hello?\n\nManager B: Hello."),
        "csv_file": SimpleUploadedFile("people.csv", b"participant,sector\nManager A,Health\n"),
        "file": SimpleUploadedFile("codes.csv", b"path,definition\nFresh code,New.\n"),
    }


def send(client, method: str, url: str, rows: dict, name: str, **headers):
    """Ask for the page with a query string naming ``rows``; a POST also sends them as a form."""
    data = form_naming(rows)
    if name in ACTIONS:
        data["action"] = ACTIONS[name]
    if method == "get":
        return client.get(url, data, headers=headers)
    return client.post(
        f"{url}?{urlencode(data, doseq=True)}", {**data, **uploads()}, headers=headers
    )


def words_found(response, words: list[str]) -> list[str]:
    """Return the ``words`` the response's body holds (a download's too)."""
    body = b"".join(response) if response.streaming else response.content
    text = body.decode(errors="replace")
    return [word for word in words if word in text]
