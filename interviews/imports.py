"""Store uploaded transcripts: stage one for its preview, then save it as an interview.

The reading and turn detection are pure (``interviews.importing``); this module
keeps what they found in the database and turns it into an interview.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction

from interviews.importing.preview import (
    merge_speakers,
    rename_speaker,
    split_paragraphs,
    summarise_speakers,
)
from interviews.importing.readers import (
    READERS,
    ImportRefused,
    file_type,
    read_document,
    safe_filename,
)
from interviews.importing.readers import _size as size_label  # the readers' own wording
from interviews.importing.turns import DetectedTurn, detect_turns
from interviews.models import Interview, Participant, PendingImport, SpeakerRole, Study, Turn
from interviews.text import named_alike

# Labels compared in lower case with full stops dropped ("Int." is "int").
INTERVIEWER_LABELS = frozenset(
    {"interviewer", "int", "i", "iv", "q", "moderator", "mod", "facilitator", "researcher"}
)
# Words that name the interviewer in a longer label ("Interviewer 2", "Assistant Moderator").
INTERVIEWER_WORDS = frozenset({"interviewer", "moderator", "facilitator"})
PARTICIPANT_LABELS = frozenset({"participant", "respondent", "interviewee", "a", "r", "resp"})
PARTICIPANT_WORDS = frozenset({"participant", "respondent", "interviewee"})
# Others in the room who are not interviewed: never guessed participants.
NON_PARTICIPANT_WORDS = frozenset(
    {"interpreter", "translator", "observer", "note-taker", "notetaker", "unknown", "unidentified"}
)


class TitleTaken(ValueError):
    """An interview of the study already has this title."""


def guess_role(speaker: str | None) -> str:
    """Guess a speaker's role from their label alone ("Interviewer", "INT", "Respondent")."""
    words = (speaker or "").casefold().replace(".", " ").split()
    if not words:
        return SpeakerRole.OTHER
    label = " ".join(words)
    if label in INTERVIEWER_LABELS or INTERVIEWER_WORDS.intersection(words):
        return SpeakerRole.INTERVIEWER
    if label in PARTICIPANT_LABELS or words[0] in PARTICIPANT_WORDS:
        return SpeakerRole.PARTICIPANT
    return SpeakerRole.OTHER


def guess_roles(speakers: Iterable[str]) -> dict[str, str]:
    """Guess every speaker's role: once someone is the interviewer, the others are interviewed.

    A label naming another role ("Interpreter", "Observer") stays other. Without
    an interviewer-like label nobody can tell who asks ("Speaker 1", "Speaker 2").
    """
    roles = {speaker: guess_role(speaker) for speaker in speakers}
    if SpeakerRole.INTERVIEWER in roles.values():
        for speaker, role in roles.items():
            words = speaker.casefold().split()
            if role == SpeakerRole.OTHER and not NON_PARTICIPANT_WORDS.intersection(words):
                roles[speaker] = SpeakerRole.PARTICIPANT
    return roles


def title_from_filename(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename[1:] else filename
    return " ".join(stem.replace("_", " ").split())[:200] or filename[:200]


def detect_speakers(text: str, cues=None) -> tuple[list[DetectedTurn], dict[str, str]]:
    """Find the turns of a normalised text and guess each speaker's role, as every import does."""
    turns = detect_turns(text, cues)
    return turns, guess_roles(dict.fromkeys(t.speaker for t in turns if t.speaker))


def add_turns(
    interview: Interview, turns: list[DetectedTurn], speaker_roles: dict[str, str] | None = None
) -> None:
    """Store the interview's turns, each speaker with their role (one INSERT)."""
    speaker_roles = speaker_roles or {}
    Turn.objects.bulk_create(
        Turn(
            interview=interview,
            speaker=turn.speaker or "",
            speaker_role=speaker_roles.get(turn.speaker or "", SpeakerRole.OTHER),
            start=turn.start,
            end=turn.end,
            timestamp=turn.timestamp,
        )
        for turn in turns
    )


def read_upload(filename: str, data: bytes):
    """Read a file with the configured size limit; raise ImportRefused with its message."""
    return read_document(filename, data, max_bytes=settings.COPROD_MAX_UPLOAD_BYTES)


def stage_upload(study: Study, uploader, upload) -> PendingImport:
    """Stage a file uploaded in the browser, reading no more of it than the size limit allows."""
    limit = settings.COPROD_MAX_UPLOAD_BYTES
    name = upload.name or ""
    data = upload.read(limit + 1)
    # A bad name or an unsupported type is reported before the size, as read_document does.
    if len(data) > limit and file_type(safe_filename(name)) in READERS:
        raise ImportRefused(
            f"file too large: {size_label(upload.size)}, the limit is {size_label(limit)}"
        )
    return stage_file(study, uploader, name, data)


def stage_file(study: Study, uploader, filename: str, data: bytes) -> PendingImport:
    """Read an upload and keep it for its preview; raise ImportRefused if it cannot be read."""
    result = read_upload(filename, data)
    cues = [list(cue) for cue in result.cues] if result.cues is not None else None
    turns, speaker_roles = detect_speakers(result.text, result.cues)
    return PendingImport.objects.create(
        study=study,
        uploader=uploader,
        filename=filename,
        text=result.text,
        cues=cues,
        warnings=list(result.warnings),
        turns=_as_json(turns),
        speaker_roles=speaker_roles,
    )


def create_interview(
    study: Study,
    *,
    title: str,
    participant: Participant | None,
    filename: str,
    text: str,
    turns: list[DetectedTurn],
    speaker_roles: dict[str, str] | None = None,
) -> Interview:
    """Store one interview with its turns, in one transaction; TitleTaken on a duplicate."""
    if named_alike(study.interviews.values_list("title", flat=True), title):
        raise TitleTaken(f"an interview titled “{title}” already exists in this study")
    try:
        with transaction.atomic():
            interview = Interview.objects.create(
                study=study,
                participant=participant,
                title=title,
                source_filename=filename,
                text=text,
                position=study.interviews.count(),
            )
            add_turns(interview, turns, speaker_roles)
    except IntegrityError:
        raise TitleTaken(f"an interview titled “{title}” already exists in this study") from None
    return interview


def participant_named(study: Study, label: str) -> Participant:
    """Return the study's participant with this label (any case), creating it if new."""
    label = " ".join(label.split())
    existing = named_alike(study.participants.values_list("label", flat=True), label)
    if existing is not None:
        return study.participants.get(label=existing)
    return Participant.objects.create(study=study, label=label)


# The preview's adjustments, each saved at once so the page can be reloaded.


def turns_of(pending: PendingImport) -> list[DetectedTurn]:
    return [DetectedTurn(*turn) for turn in pending.turns]


def speakers_of(pending: PendingImport):
    return summarise_speakers(turns_of(pending), pending.text)


def rename(pending: PendingImport, old: str | None, new: str) -> None:
    """Rename a speaker (raise ValueError for an empty name); the role goes with the name."""
    turns = rename_speaker(turns_of(pending), old, new)
    new = " ".join(new.split())
    role = pending.speaker_roles.pop(old or "", None)
    if role is not None and new not in pending.speaker_roles:
        pending.speaker_roles[new] = role
    pending.speaker_roles.setdefault(new, SpeakerRole.OTHER)
    _save_turns(pending, turns)


def merge(pending: PendingImport, speaker: str | None, into: str) -> None:
    turns = merge_speakers(turns_of(pending), speaker, into)
    pending.speaker_roles.pop(speaker or "", None)
    _save_turns(pending, turns)


def set_roles(pending: PendingImport, roles: dict[str, str]) -> None:
    names = {turn.speaker for turn in turns_of(pending) if turn.speaker}
    pending.speaker_roles = {
        name: role for name, role in roles.items() if name in names and role in SpeakerRole.values
    }
    pending.save(update_fields=["speaker_roles"])


def set_detection(pending: PendingImport, on: bool) -> None:
    """Turn speaker detection on (the turns as first detected) or off (plain paragraphs)."""
    if on:
        turns, pending.speaker_roles = detect_speakers(pending.text, pending.cues)
    else:
        turns = split_paragraphs(pending.text)
        pending.speaker_roles = {}
    pending.detect_speakers = on
    _save_turns(pending, turns)


def save_as_interview(
    pending: PendingImport, *, title: str, participant: Participant | None
) -> Interview:
    """Create the interview from a staged upload and forget the upload, in one transaction."""
    with transaction.atomic():
        interview = create_interview(
            pending.study,
            title=title,
            participant=participant,
            filename=pending.filename,
            text=pending.text,
            turns=turns_of(pending),
            speaker_roles=pending.speaker_roles,
        )
        pending.delete()
    return interview


def _save_turns(pending: PendingImport, turns: list[DetectedTurn]) -> None:
    pending.turns = _as_json(turns)
    pending.save(update_fields=["turns", "speaker_roles", "detect_speakers"])


def _as_json(turns: list[DetectedTurn]) -> list[list]:
    return [[t.speaker, t.start, t.end, t.timestamp] for t in turns]


__all__ = [
    "ImportRefused",
    "TitleTaken",
    "add_turns",
    "create_interview",
    "detect_speakers",
    "stage_file",
]
