"""Fill a study the size of a serious research project, to time every page on it.

Sixty interviews of 10,000–15,000 words in timestamped speaker turns, a codebook of
150 codes in three levels (with a long history of edits and several frozen versions),
six coders who mostly agree, a consensus layer made of settlements, suggestions in
every state, memos, undo logs, a few re-anchored codings and transcript corrections.
The study is kept (``bench pages`` reuses it); ``fill(..., replace=True)`` makes it anew.

Codings go in with ``bulk_create`` and are not the workbench's own path, so they cost
seconds, not hours; codes, edits and versions go through the codebook's functions,
so the history is the one users make.
"""

import datetime
import random
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from codebook import history, tree
from codebook.models import (
    AnchorStatus,
    Code,
    Coding,
    CodingAction,
    Memo,
    Origin,
    Settlement,
    SettlementChoice,
    SettlementCoding,
    Suggester,
    Suggestion,
    SuggestionQuality,
    SuggestionRun,
)
from interviews.importing.turns import detect_turns
from interviews.models import (
    Interview,
    InterviewRevision,
    Membership,
    Participant,
    ParticipantAttribute,
    PendingImport,
    Role,
    SpeakerRole,
    Study,
    Turn,
)

SLUG = "bench-large"
PASSWORD = "coprod-bench"
OWNER, SUPERVISOR = "bench-owner", "bench-supervisor"

WORDS = (  # noqa: SIM905
    "we the our service citizens staff budget targets project manager team change design "
    "municipality café rôle naïve trust care meeting residents partnership council learned "
    "decided asked together frontline leadership priorities risk outcome users neighbourhood "
    "volunteers responsibility co-production experience people time really think know said "
    "would could because money plan listen open door partner network local public value "
    "evidence report politicians homecare nurses schools housing families elderly director "
    "strategy committee conflict culture habits power voice control patience mistakes"
).split()
SMALL = "the a of and to in that it is was for with on as at but so".split()  # noqa: SIM905
ATTRIBUTES = {
    "sector": ["Health and care", "Social services", "Schools", "Housing", "Culture"],
    "level": ["Municipality", "Region", "State"],
    "organisation size": ["small", "medium", "large"],
    "years in post": [str(n) for n in range(1, 16)],
    "gender": ["woman", "man"],
}
THEMES = ["Governance", "Leadership", "Barriers", "Citizens", "Sensemaking", "Outcomes"]
BRANCHES = ["Practices", "Tensions", "Arguments", "Examples"]
LEAVES = ["Concrete", "Abstract", "Critical", "Positive", "Ambivalent"]


def _sentence(rng: random.Random) -> str:
    words = [
        rng.choice(SMALL) if rng.random() < 0.35 else rng.choice(WORDS)
        for _ in range(rng.randint(6, 24))
    ]
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def _transcript(rng: random.Random, words: int, label: str) -> str:
    """Timestamped turns, a short question then a long answer, about ``words`` words."""
    paragraphs, count, clock = [], 0, 5
    while count < words:
        for speaker, sentences in (("Interviewer", rng.randint(1, 3)), (label, rng.randint(5, 14))):
            spoken = " ".join(_sentence(rng) for _ in range(sentences))
            stamp = f"[{clock // 3600:02d}:{clock // 60 % 60:02d}:{clock % 60:02d}]"
            paragraphs.append(f"{stamp} {speaker}: {spoken}")
            count += len(spoken.split())
            clock += len(spoken.split()) // 2
    return "\n\n".join(paragraphs)


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, first = [], start
    for position in range(start, end):
        if text[position] in ".?!" and (position + 1 == end or text[position + 1] == " "):
            spans.append((first, position + 1))
            first = position + 2
    return spans


def _users(coders: int):
    User = get_user_model()
    names = [OWNER, SUPERVISOR] + [f"bench-coder-{n}" for n in range(1, coders + 1)]
    users = []
    for name in names:
        user, created = User.objects.get_or_create(username=name)
        if created:
            user.set_password(PASSWORD)
            user.save()
        users.append(user)
    return users[0], users[1], users[2:]


def _codebook(study: Study, owner, supervisor, rng: random.Random, edits: int, versions: int):
    """150 codes in three levels through the codebook's own functions, then a history of edits."""
    leaves, everything = [], []
    for theme in THEMES:
        top = tree.add_code(study, owner, theme, grouping_only=True, definition=f"All of {theme}.")
        everything.append(top)
        for branch in BRANCHES:
            middle = tree.add_code(study, owner, f"{theme} {branch.lower()}", top)
            everything.append(middle)
            for leaf in LEAVES:
                code = tree.add_code(
                    study, owner, f"{leaf} {branch.lower()}", middle,
                    definition=" ".join(_sentence(rng) for _ in range(3)),
                    inclusion=_sentence(rng), exclusion=_sentence(rng), example=_sentence(rng),
                    indicator_terms="\n".join(rng.sample(WORDS, 4)),
                    colour=f"#{rng.randrange(0x1000000):06x}",
                )  # fmt: skip
                everything.append(code)
                leaves.append(code)
    applicable = leaves + [c for c in everything if c.parent_id and not c.grouping_only]
    applicable = list(dict.fromkeys(applicable))
    steps = max(1, edits // max(versions, 1))
    for number in range(edits):
        code = Code.objects.get(pk=rng.choice(everything).pk)
        tree.edit_code(code, rng.choice([owner, supervisor]), code.version,
                       definition=" ".join(_sentence(rng) for _ in range(3)),
                       notes=_sentence(rng))  # fmt: skip
        if versions and (number + 1) % steps == 0 and number // steps < versions:
            history.freeze_version(study, supervisor, f"Round {number // steps + 1}")
    return applicable


def _interviews(study: Study, rng: random.Random, count: int, low: int, high: int):
    made = []
    for number in range(count):
        label = f"Manager {number + 1:02d}"
        participant = Participant.objects.create(study=study, label=label, role="Director")
        ParticipantAttribute.objects.bulk_create(
            ParticipantAttribute(participant=participant, name=name, value=rng.choice(values))
            for name, values in ATTRIBUTES.items()
        )
        words = high if number == count // 2 else rng.randint(low, high)
        interview = Interview.objects.create(
            study=study, participant=participant, title=f"Interview {number + 1:02d}",
            text=_transcript(rng, words, label), position=number,
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
        )  # fmt: skip
        turns = Turn.objects.bulk_create(
            Turn(interview=interview, speaker=t.speaker or "", start=t.start, end=t.end,
                 timestamp=t.timestamp,
                 speaker_role=SpeakerRole.INTERVIEWER if t.speaker == "Interviewer"
                 else SpeakerRole.PARTICIPANT)
            for t in detect_turns(interview.text)
        )  # fmt: skip
        spoken = [t for t in turns if t.speaker != "Interviewer"]
        sentences = [_sentence_spans(interview.text, t.start, t.end) for t in spoken]
        made.append((interview, [s for s in sentences if s]))
    return made


def _codings(made, coders, applicable, rng: random.Random, total: int) -> list[Coding]:
    """Passages every coder sees alike, each coder taking most of them, a few moved or recoded."""
    per_interview = total / len(made) / (len(coders) * 0.7)
    rows, seen = [], set()
    for interview, turns in made:
        text = interview.text
        for _ in range(int(per_interview)):
            sentences = rng.choice(turns)
            first = rng.randrange(len(sentences))
            last = min(len(sentences), first + rng.choice([1, 1, 2, 3]))
            code = rng.choice(applicable)
            for coder in coders:
                if rng.random() > 0.7:
                    continue
                s, e = sentences[first][0], sentences[last - 1][1]
                if rng.random() < 0.15:  # a coder who took one sentence more or less
                    e = sentences[max(first, last - 2)][1] if last - first > 1 else e
                mine = code if rng.random() > 0.1 else rng.choice(applicable)
                key = (interview.pk, mine.pk, coder.pk, s, e)
                if key in seen:
                    continue
                seen.add(key)
                rows.append(Coding(interview=interview, code=mine, coder=coder, start=s, end=e,
                                   quote=text[s:e], memo=_sentence(rng) if rng.random() < 0.05
                                   else ""))  # fmt: skip
    return Coding.objects.bulk_create(rows, batch_size=2_000)


def _undo_logs(codings: list[Coding]) -> None:
    """Each coding leaves one step in its coder's undo log, as coding it in the workbench does."""
    CodingAction.objects.bulk_create(
        (
            CodingAction(interview_id=c.interview_id, coder_id=c.coder_id, coding_id=c.pk,
                         after={"code": c.code_id, "start": c.start, "end": c.end,
                                "memo": c.memo, "origin": c.origin})
            for c in codings
        ),
        batch_size=2_000,
    )  # fmt: skip


def _consensus(study, made, codings, supervisor, rng: random.Random, count: int) -> None:
    """Settle ``count`` passages into the consensus layer, one settlement and coding each."""
    by_passage = {}
    for coding in codings:
        by_passage.setdefault((coding.interview_id, coding.code_id, coding.start, coding.end),
                              coding)  # fmt: skip
    texts = {interview.pk: interview.text for interview, _ in made}
    chosen = rng.sample(sorted(by_passage), min(count, len(by_passage)))
    consensus = Coding.objects.bulk_create(
        (
            Coding(interview_id=i, code_id=c, coder=supervisor, start=s, end=e,
                   quote=texts[i][s:e], origin=Origin.CONSENSUS)
            for i, c, s, e in chosen
        ),
        batch_size=2_000,
    )  # fmt: skip
    settlements = Settlement.objects.bulk_create(
        (
            Settlement(study=study, interview_id=i, code_id=c, start=s, end=e, unit="sentence",
                       choice=SettlementChoice.BOTH, settled_by=supervisor)
            for i, c, s, e in chosen
        ),
        batch_size=2_000,
    )  # fmt: skip
    SettlementCoding.objects.bulk_create(
        (
            SettlementCoding(settlement=s, coding=c)
            for s, c in zip(settlements, consensus, strict=True)
        ),
        batch_size=2_000,
    )


def _suggestions(study, made, codings, coders, applicable, rng, count: int) -> None:
    """Runs and suggestions for every coder: most open, some rejected, some accepted."""
    mine = {}
    for coding in codings:
        mine.setdefault((coding.interview_id, coding.coder_id), []).append(coding)
    now = datetime.datetime.now(datetime.UTC)
    rows, accepted = [], []
    per_pair = max(1, count // (len(coders) * 12))
    for coder in coders:
        for interview, turns in rng.sample(made, 12):
            run = SuggestionRun.objects.create(
                study=study, interview=interview, suggester=Suggester.TERMS, coder=coder,
                requested_by=coder, status="done", done=1, total=1, suggested=per_pair,
                started=now, finished=now,
            )  # fmt: skip
            own = mine.get((interview.pk, coder.pk), [])
            for _ in range(per_pair):
                status = rng.choices(["open", "rejected", "accepted"], [6, 3, 1])[0]
                if status == "accepted" and own:
                    coding = own.pop()
                    accepted.append(coding.pk)
                    s, e, code = coding.start, coding.end, coding.code
                else:
                    status = "open" if status == "accepted" else status
                    coding = None
                    s, e = rng.choice(rng.choice(turns))
                    code = rng.choice(applicable)
                rows.append(Suggestion(
                    interview=interview, code=code, coder=coder, start=s, end=e,
                    score=rng.random(), suggester=Suggester.TERMS, model_version="terms/bench",
                    explanation=f"matched “{rng.choice(WORDS)}”", status=status, run=run,
                    coding=coding, decided=None if status == "open" else now,
                ))  # fmt: skip
    Suggestion.objects.bulk_create(rows, batch_size=2_000)
    Coding.objects.filter(pk__in=accepted).update(origin=Origin.SUGGESTION)
    scores = {"precision": 0.4, "recall": 0.3, "f1": 0.34, "tp": 30, "fp": 45, "fn": 70}
    report = {
        "per_code": [{"code": code.pk, **scores} for code in applicable],
        "overall": scores,
        "macro_f1": 0.3,
    }
    SuggestionQuality.objects.create(
        study=study, suggester=Suggester.TERMS, report=report, sentences=40_000
    )


def _reanchored(made, codings, rng: random.Random, count: int) -> None:
    """Mark a few codings changed or lost, as corrections leave them."""
    texts = {interview.pk: interview.text for interview, _ in made}
    for coding in rng.sample([c for c in codings if c.origin == Origin.MANUAL], count):
        if rng.random() < 0.5:
            coding.anchor_status = AnchorStatus.CHANGED
        else:
            coding.anchor_status = AnchorStatus.LOST
            coding.lost_quote = coding.quote
            coding.end = coding.start + 1
            coding.quote = texts[coding.interview_id][coding.start : coding.end]
        coding.save()


def _revisions(interview: Interview, owner, count: int) -> None:
    text = interview.text
    for number in range(2, count + 2):
        InterviewRevision.objects.create(
            interview=interview, number=number, author=owner, old_text=text,
            new_text=text.replace("budget", "budgets", number),
        )  # fmt: skip
    Interview.objects.filter(pk=interview.pk).update(revision=count + 1)


def fill(out, *, slug=SLUG, interviews=60, low=10_000, high=15_000, coders=6,
         codings=80_000, consensus=3_000, suggestions=4_000, edits=1_500, versions=6,
         seed=7, replace=False) -> Study:  # fmt: skip
    """Make the large study (or return it when it exists and ``replace`` is off)."""
    existing = Study.objects.filter(slug=slug).first()
    if existing and not replace:
        return existing
    if existing:
        existing.delete()
    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        owner, supervisor, coder_users = _users(coders)
        study = Study.objects.create(slug=slug, title="Benchmark: a large study")
        Membership.objects.bulk_create(
            [Membership(study=study, user=owner, role=Role.OWNER),
             Membership(study=study, user=supervisor, role=Role.SUPERVISOR)]
            + [Membership(study=study, user=c, role=Role.CODER) for c in coder_users]
        )  # fmt: skip
        applicable = _codebook(study, owner, supervisor, rng, edits, versions)
        out.write(f"codebook: {time.perf_counter() - started:.0f} s\n")
        made = _interviews(study, rng, interviews, low, high)
        out.write(f"interviews: {time.perf_counter() - started:.0f} s\n")
        rows = _codings(made, coder_users, applicable, rng, codings)
        _undo_logs(rows)
        _consensus(study, made, rows, supervisor, rng, consensus)
        _suggestions(study, made, rows, coder_users, applicable, rng, suggestions)
        _reanchored(made, rows, rng, 60)
        _revisions(max((i for i, _ in made), key=lambda i: i.text_length), owner, 3)
        Memo.objects.bulk_create(
            [Memo(study=study, interview=i, author=owner, text=_sentence(rng)) for i, _ in made]
            + [Memo(study=study, author=supervisor, title=f"Note {n}", text=_sentence(rng))
               for n in range(20)]
        )  # fmt: skip
        PendingImport.objects.create(
            study=study, uploader=owner, filename="waiting.txt", text=made[0][0].text[:20_000],
            turns=[], speaker_roles={},
        )  # fmt: skip
    if connection.vendor == "postgresql":
        # Plans as a running server has them: autovacuum would have analysed the new rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Coding.objects.filter(interview__study=study).count()
    elapsed = time.perf_counter() - started
    out.write(f"filled {slug}: {len(made)} interviews, {total:,} codings in {elapsed:.0f} s\n")
    return study
