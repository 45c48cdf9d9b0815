"""Between a study in the database and a REFI-QDA project (see ``qdpx.py`` for the format)."""

import datetime
import functools
import io
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import IO

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from codebook.exchange import qdpx
from codebook.exchange.qdc import SECTIONS, describe, parse_description
from codebook.exchange.read_ahead import write_ahead
from codebook.exchange.snapshot import read_snapshot
from codebook.history import entry_of
from codebook.models import Code, Coding, Memo, Origin
from interviews.imports import add_turns, detect_speakers
from interviews.models import (
    Interview,
    Membership,
    Participant,
    ParticipantAttribute,
    Role,
    Study,
)

# Participant fields that REFI-QDA has no place for travel as variables.
ROLE_VARIABLE = "coprod:role"
ORGANISATION_VARIABLE = "coprod:organisation"
# The interview's date, a Date variable of its source (REFI-QDA's document variables);
# a source's creationDateTime is when its file was made, not when the interview took place.
DATE_VARIABLE = "coprod:date"
DEFAULT_COLOUR = "#f2c94c"
# Codings read from the database at a time while the project is written.
CHUNK_ROWS = 2_000


def _when(value: datetime.datetime | None) -> str:
    return value.isoformat() if value else ""


# Export --------------------------------------------------------------------


def write_study_qdpx(study: Study, output: IO[bytes]) -> None:
    """Write the study as a .qdpx archive to ``output``, every table read in one snapshot.

    The codings are read and written one interview at a time, so memory does not grow
    with their number; coders working meanwhile change nothing in the file.
    """
    with read_snapshot():
        qdpx.write_qdpx(project_from_study(study), output)


def stream_study_qdpx(study: Study) -> Iterator[bytes]:
    """Yield the study's .qdpx archive in pieces while it is written, for a download.

    The archive is written in a thread (``read_ahead.write_ahead``), so its first bytes
    leave before its last codings are read. Inside a transaction a thread could not see
    the transaction's rows: the archive is then written here and sent whole.
    """
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        output = io.BytesIO()
        write_study_qdpx(study, output)
        yield output.getvalue()
        return
    yield from write_ahead(lambda stream: write_study_qdpx(study, stream))


class _Reread[Item]:
    """An iterable that runs its query again each time it is gone through."""

    def __init__(self, make: Callable[[], Iterator[Item]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Item]:
        return self._make()


def project_from_study(study: Study) -> qdpx.Project:
    """Build the REFI-QDA project of a whole study.

    Users, memos, codes, interviews and cases are read here (a fixed number of queries);
    each source's selections and the coding memos' notes are read from the database when
    the project is written (one query per interview, one for the memos).
    """
    slug = study.slug
    User = get_user_model()
    # Members, coders and memo authors. Three subqueries, not one OR over three joins: on
    # SQLite that joined every user's codings in every study (33 s beside a million codings).
    users = User.objects.filter(
        Q(pk__in=Membership.objects.filter(study=study).values("user_id"))
        | Q(pk__in=Coding.objects.filter(interview__study=study).values("coder_id"))
        | Q(pk__in=Memo.objects.filter(study=study).values("author_id"))
    )
    user_guids = {}
    project = qdpx.Project(name=study.title, description=study.description)
    for user in users.order_by("username"):
        user_guids[user.pk] = qdpx.make_guid("user", user.get_username())
        project.users.append(qdpx.User(user_guids[user.pk], user.get_username()))

    memos = list(Memo.objects.filter(study=study).order_by("created", "pk"))
    memo_guid = {memo.pk: qdpx.make_guid(slug, "memo", memo.pk) for memo in memos}
    code_notes, interview_notes = defaultdict(list), defaultdict(list)
    memo_notes = []
    for memo in memos:
        if memo.code_id:
            code_notes[memo.code_id].append(memo_guid[memo.pk])
        elif memo.interview_id:
            interview_notes[memo.interview_id].append(memo_guid[memo.pk])
        else:
            project.note_refs.append(memo_guid[memo.pk])
        memo_notes.append(
            qdpx.Note(
                memo_guid[memo.pk],
                memo.title,
                memo.text,
                user_guids[memo.author_id],
                _when(memo.created),
            )
        )

    code_guid = {}
    children = defaultdict(list)
    for code in Code.objects.filter(study=study).order_by("position", "name", "pk"):
        code_guid[code.pk] = qdpx.make_guid(slug, "code", code.pk)
        children[code.parent_id].append(code)

    def tree(parent_id):
        return [
            qdpx.Code(
                guid=code_guid[code.pk],
                name=code.name,
                codable=not code.grouping_only,
                color=code.colour,
                # The whole entry, as the .qdc export writes it: other programs show the
                # sections as text, coprod reads them back into fields.
                description=describe(entry_of(code)),
                note_refs=code_notes[code.pk],
                children=tree(code.pk),
            )
            for code in children[parent_id]
        ]

    project.codes = tree(None)

    interviews = list(study.interviews.all())
    source_guid = {i.pk: qdpx.make_guid(slug, "interview", i.pk) for i in interviews}
    date_guid = qdpx.make_guid(slug, "variable", DATE_VARIABLE)
    for interview in interviews:
        project.sources.append(
            qdpx.Source(
                guid=source_guid[interview.pk],
                name=interview.title,
                text=interview.text,
                created=_when(interview.created),
                selections=_Reread(
                    functools.partial(_selections, slug, interview.pk, user_guids, code_guid)
                ),
                note_refs=interview_notes[interview.pk],
                values={date_guid: interview.date.isoformat()} if interview.date else {},
            )
        )
    project.notes = _Reread(
        lambda: itertools.chain(memo_notes, _coding_notes(slug, study, user_guids))
    )

    _add_cases(study, project, source_guid)
    if any(interview.date for interview in interviews):
        project.variables.append(qdpx.Variable(date_guid, DATE_VARIABLE, "Date"))
    return project


def _selections(
    slug: str, interview_id: int, user_guids: dict[int, str], code_guid: dict[int, str]
) -> Iterator[qdpx.Selection]:
    """Yield the interview's selections: its codings grouped by passage, in text order."""
    rows = (
        Coding.objects.anchored()
        .filter(interview_id=interview_id)
        .order_by("start", "end", "pk")
        .values_list("pk", "start", "end", "quote", "coder_id", "created", "code_id", "memo")
    )
    selection = None
    for pk, start, end, quote, coder_id, created, code_id, memo in rows.iterator(CHUNK_ROWS):
        if selection is None or (selection.start, selection.end) != (start, end):
            if selection is not None:
                yield selection
            selection = qdpx.Selection(
                guid=qdpx.make_guid(slug, "selection", interview_id, start, end),
                start=start,
                end=end,
                name=quote[:80],
                creating_user=user_guids[coder_id],
                created=_when(created),
            )
        selection.codings.append(
            qdpx.Coding(
                guid=qdpx.make_guid(slug, "coding", pk),
                code_guid=code_guid[code_id],
                creating_user=user_guids[coder_id],
                created=_when(created),
                note_refs=[qdpx.make_guid(slug, "coding-memo", pk)] if memo else [],
            )
        )
    if selection is not None:
        yield selection


def _coding_notes(slug: str, study: Study, user_guids: dict[int, str]) -> Iterator[qdpx.Note]:
    """Yield a note for each coding with a memo (the codings' NoteRefs point at them)."""
    rows = (
        Coding.objects.anchored()
        .filter(interview__study=study)
        .exclude(memo="")
        .order_by("start", "end", "pk")
        .values_list("pk", "memo", "coder_id", "updated")
    )
    for pk, memo, coder_id, updated in rows.iterator(CHUNK_ROWS):
        yield qdpx.Note(
            qdpx.make_guid(slug, "coding-memo", pk), "", memo, user_guids[coder_id], _when(updated)
        )


def _add_cases(study: Study, project: qdpx.Project, source_guid: dict[int, str]) -> None:
    participants = list(
        Participant.objects.filter(study=study).prefetch_related("attributes", "interviews")
    )
    names = sorted({a.name for p in participants for a in p.attributes.all()}, key=str.casefold)
    if any(p.role for p in participants):
        names.insert(0, ROLE_VARIABLE)
    if any(p.organisation for p in participants):
        names.insert(1 if names[:1] == [ROLE_VARIABLE] else 0, ORGANISATION_VARIABLE)
    variable_guid = {name: qdpx.make_guid(study.slug, "variable", name) for name in names}
    project.variables = [qdpx.Variable(variable_guid[name], name) for name in names]
    for participant in participants:
        values = {a.name: a.value for a in participant.attributes.all()}
        if participant.role:
            values[ROLE_VARIABLE] = participant.role
        if participant.organisation:
            values[ORGANISATION_VARIABLE] = participant.organisation
        project.cases.append(
            qdpx.Case(
                guid=qdpx.make_guid(study.slug, "participant", participant.pk),
                name=participant.label,
                values={variable_guid[name]: values[name] for name in names if name in values},
                source_refs=[source_guid[i.pk] for i in participant.interviews.all()],
            )
        )


# Import --------------------------------------------------------------------


def _username(name: str, guid: str) -> str:
    cleaned = re.sub(r"[^\w.@+-]+", "_", name.strip()).strip("_")[:150]
    return cleaned or f"user-{guid[:8]}"


def _colour(value: str) -> str:
    value = value.strip()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:])
    if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return value
    return DEFAULT_COLOUR


def _unique(name: str, taken: set[str], fallback: str) -> str:
    name = " ".join(name.split()) or fallback
    candidate, number = name, 2
    while candidate.casefold() in taken:
        candidate, number = f"{name} ({number})", number + 1
    taken.add(candidate.casefold())
    return candidate


def _timestamp(value: str) -> datetime.datetime:
    parsed = parse_datetime(value) if value else None
    if parsed is None:
        return timezone.now()
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)


def _save_keeping_time(row, created: str, updated: str = "") -> None:
    row.created = _timestamp(created)
    if hasattr(row, "updated"):
        row.updated = _timestamp(updated) if updated else row.created
    row.save_base(raw=True)  # raw: keep the timestamps instead of "now"


@transaction.atomic
def study_from_project(
    project: qdpx.Project, slug: str, owner, title: str = ""
) -> tuple[Study, list[str]]:
    """Create a new study from a parsed project; return it with warnings about what changed.

    ``owner`` becomes its owner; the project's users become coders (matched to
    accounts by user name, created without a usable password when missing).
    """
    warnings: list[str] = []
    study = Study.objects.create(
        title=(title or project.name or slug)[:200],
        slug=slug,
        description=project.description,
    )
    Membership.objects.create(study=study, user=owner, role=Role.OWNER)
    User = get_user_model()
    users = {}
    for user in project.users:
        username = _username(user.name, user.guid)
        account = User.objects.filter(username=username).first()
        if account is None:
            account = User(username=username)
            account.set_unusable_password()
            account.save()
        users[user.guid] = account
        if account.pk != owner.pk:
            Membership.objects.get_or_create(
                study=study, user=account, defaults={"role": Role.CODER}
            )
    notes = {note.guid: note for note in project.notes}
    used_notes: set[str] = set()

    def note_text(refs: list[str]) -> str:
        used_notes.update(refs)
        return "\n\n".join(notes[ref].text for ref in refs if ref in notes and notes[ref].text)

    codes: dict[str, Code] = {}
    shortcuts: set[str] = set()

    def make_codes(items: list[qdpx.Code], parent: Code | None) -> None:
        taken: set[str] = set()
        for position, item in enumerate(items):
            name = item.name.replace("/", "-")
            if name != item.name:
                warnings.append(f"Code “{item.name}” is named “{name}”: “/” separates paths.")
            name = _unique(name[:120], taken, "Unnamed code")
            entry = _entry(item.description, name, shortcuts, warnings)
            code = Code.objects.create(
                study=study,
                parent=parent,
                name=name,
                colour=_colour(item.color),
                grouping_only=not item.codable,
                position=position,
                **entry,
            )
            codes[item.guid] = code
            for ref in item.note_refs:
                _memo(
                    study,
                    notes.get(ref),
                    users,
                    owner,
                    used_notes,
                    code=code,
                    fallback=item.description,
                )
            make_codes(item.children, code)

    make_codes(project.codes, None)

    interviews: dict[str, Interview] = {}
    taken_titles: set[str] = set()
    date_variables = [v.guid for v in project.variables if v.name == DATE_VARIABLE]
    for position, source in enumerate(project.sources):
        interview = Interview(
            study=study,
            title=_unique(source.name[:200], taken_titles, "Untitled source"),
            source_filename=source.name[:255],
            text=source.text,
            position=position,
        )
        interview.date = _date(source, date_variables, interview.title, warnings)
        _save_keeping_time(interview, source.created)
        # Turns are found in the text as an uploaded transcript's are: the agreement's
        # sentence and turn units, and the workbench's paragraphs, are made of them.
        add_turns(interview, *detect_speakers(interview.text))
        interviews[source.guid] = interview
        for ref in source.note_refs:
            _memo(study, notes.get(ref), users, owner, used_notes, interview=interview)
        _import_codings(interview, source, codes, users, owner, note_text, warnings)

    _import_cases(study, project, interviews, warnings)
    for ref in project.note_refs:
        _memo(study, notes.get(ref), users, owner, used_notes)
    for note in project.notes:
        if note.guid not in used_notes:
            _memo(study, note, users, owner, used_notes)
    return study, warnings


def _entry(description: str, name: str, shortcuts: set[str], warnings: list[str]) -> dict:
    """Return a code's entry fields from its Description, read as the .qdc import reads it.

    A shortcut that is not a single key, or that an earlier code has, is left out.
    """
    sections = parse_description(description)
    entry = {field: sections.get(field, "") for field, _ in SECTIONS}
    entry["definition"] = sections["definition"]
    shortcut = entry["shortcut"]
    if shortcut and (len(shortcut) > 1 or shortcut in shortcuts):
        warnings.append(f"Code “{name}”: the shortcut “{shortcut}” is taken or not one key.")
        entry["shortcut"] = ""
    shortcuts.add(entry["shortcut"])
    return entry


def _date(
    source: qdpx.Source, variables: list[str], title: str, warnings: list[str]
) -> datetime.date | None:
    """Return the interview date a source's date variable holds, or None."""
    for guid in variables:
        value = source.values.get(guid, "")
        if not value:
            continue
        try:
            # A DateTime value (another program's choice of type) keeps its day.
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            warnings.append(f"The date “{value}” of “{title}” was not understood; left empty.")
    return None


def _memo(study, note, users, owner, used, interview=None, code=None, fallback="", title=""):
    if note is None:
        return
    used.add(note.guid)
    text = note.text or fallback
    if not text.strip():
        return
    memo = Memo(
        study=study,
        interview=interview,
        code=code,
        author=users.get(note.creating_user, owner),
        title=(note.name or title)[:200],
        text=text,
    )
    _save_keeping_time(memo, note.created)


def _import_codings(interview, source, codes, users, owner, note_text, warnings) -> None:
    text = interview.text
    seen: dict[tuple, Coding] = {}
    for selection in source.selections:
        quote = text[selection.start : selection.end]
        where = f"[{selection.start}, {selection.end}) in “{interview.title}”"
        if not selection.codings:
            memo_text = "\n\n".join(
                part for part in (selection.description, note_text(selection.note_refs)) if part
            )
            if memo_text:
                memo = Memo(
                    study=interview.study,
                    interview=interview,
                    author=users.get(selection.creating_user, owner),
                    title=f"On “{quote[:60]}” {where}"[:200],
                    text=memo_text,
                )
                _save_keeping_time(memo, selection.created)
            continue
        if not quote.strip():
            warnings.append(f"A coding of an empty passage {where} was left out.")
            continue
        for item in selection.codings:
            code = codes[item.code_guid]
            if code.grouping_only:
                warnings.append(f"A coding {where} with folder “{code.name}” was left out.")
                continue
            coder = users.get(item.creating_user) or users.get(selection.creating_user) or owner
            memo = "\n\n".join(
                part
                for part in (selection.description, note_text(item.note_refs + selection.note_refs))
                if part
            )
            key = (code.pk, coder.pk, selection.start, selection.end)
            if key in seen:
                warnings.append(f"A repeated coding {where} with “{code.name}” was merged.")
                continue
            coding = Coding(
                interview=interview,
                code=code,
                coder=coder,
                start=selection.start,
                end=selection.end,
                quote=quote,
                memo=memo,
                origin=Origin.IMPORTED,
            )
            _save_keeping_time(coding, item.created or selection.created)
            seen[key] = coding


def _import_cases(study, project, interviews, warnings) -> None:
    variables = {variable.guid: variable.name for variable in project.variables}
    taken: set[str] = set()
    for case in project.cases:
        values = {
            variables[guid]: value for guid, value in case.values.items() if guid in variables
        }
        participant = Participant.objects.create(
            study=study,
            label=_unique(case.name[:100], taken, "Unnamed case"),
            role=values.pop(ROLE_VARIABLE, "")[:200],
            organisation=values.pop(ORGANISATION_VARIABLE, "")[:200],
        )
        # Names are one attribute whatever their case (a database constraint): the first
        # of "Age" and "age" is kept.
        attributes: dict[str, ParticipantAttribute] = {}
        for name, value in values.items():
            attributes.setdefault(
                name[:100].casefold(),
                ParticipantAttribute(participant=participant, name=name[:100], value=value[:500]),
            )
        ParticipantAttribute.objects.bulk_create(attributes.values())
        for guid in case.source_refs:
            interview = interviews.get(guid)
            if interview is None:
                continue
            if interview.participant_id:
                warnings.append(
                    f"“{interview.title}” belongs to several cases; it keeps the first."
                )
                continue
            interview.participant = participant
            interview.save(update_fields=["participant"])
