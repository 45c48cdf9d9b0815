"""Shared personas and a small study for every test.

alice owns the study, sam supervises, bob and carol code, vic only views,
charlie is a stranger to it.
"""

import html
import json
import re

import pytest
from django.contrib.auth import get_user_model

from codebook.models import Code, Coding
from interviews.importing.turns import detect_turns
from interviews.models import Interview, Membership, Participant, Role, Study, Turn

# Accents, curly quotes and an emoji before the coded passages, so that any
# confusion of code points, UTF-16 units and bytes shows up in offsets.
TRANSCRIPT = (
    "[00:00:05] Interviewer: Could you tell me about the café project?\n\n"
    "[00:00:12] Manager A: Yes – it was a “rôle” change for me 🙂. "
    "We asked citizens to design the service with our frontline staff. "
    "The budget was tight, and the targets did not help.\n\n"
    "[00:01:40] Interviewer: What did that mean for you as a manager?\n\n"
    "[00:01:47] Manager A: I had to learn to let go. My job became opening doors."
)


def change_of(response) -> dict:
    """Return the ``codings-changed`` event a workbench answer carries in its status line."""
    match = re.search(r'<p id="status"[^>]*? data-change="([^"]*)"', response.content.decode())
    assert match, "the answer carries no change"
    return json.loads(html.unescape(match.group(1)))


def passage_of(text: str, words: str) -> tuple[int, int]:
    """Return the code-point offsets of ``words`` in ``text`` (which must contain it once)."""
    start = text.index(words)
    assert text.count(words) == 1, words
    return start, start + len(words)


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Background tasks run inside the request (or command) that enqueues them.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(name):
    return get_user_model().objects.create_user(name, password="pw-" + name)


@pytest.fixture
def alice(db):
    return _user("alice")


@pytest.fixture
def sam(db):
    return _user("sam")


@pytest.fixture
def bob(db):
    return _user("bob")


@pytest.fixture
def carol(db):
    return _user("carol")


@pytest.fixture
def vic(db):
    return _user("vic")


@pytest.fixture
def charlie(db):
    return _user("charlie")


@pytest.fixture
def study(alice, sam, bob, carol, vic, charlie):
    study = Study.objects.create(title="Co-production pilot", slug="pilot")
    for user, role in [
        (alice, Role.OWNER),
        (sam, Role.SUPERVISOR),
        (bob, Role.CODER),
        (carol, Role.CODER),
        (vic, Role.VIEWER),
    ]:
        Membership.objects.create(study=study, user=user, role=role)
    return study


@pytest.fixture
def participant(study):
    return Participant.objects.create(
        study=study, label="Manager A", role="Director of care", organisation="A municipality"
    )


@pytest.fixture
def interview(study, participant):
    interview = Interview.objects.create(
        study=study, participant=participant, title="Manager A, first interview", text=TRANSCRIPT
    )
    text = interview.text
    for paragraph_start, label in _paragraphs(text):
        start = paragraph_start + len(label)
        end = text.find("\n\n", start)
        end = len(text) if end < 0 else end
        speaker = label.split("] ", 1)[1].rstrip(": ")
        Turn.objects.create(
            interview=interview,
            speaker=speaker,
            speaker_role="interviewer" if speaker == "Interviewer" else "participant",
            start=start,
            end=end,
            timestamp=_seconds(label[1:9]),
        )
    return interview


def _paragraphs(text):
    position = 0
    for paragraph in text.split("\n\n"):
        label_end = paragraph.index(": ") + 2
        yield position, paragraph[:label_end]
        position += len(paragraph) + 2


def _seconds(hms):
    hours, minutes, seconds = (int(part) for part in hms.split(":"))
    return hours * 3600 + minutes * 60 + seconds


@pytest.fixture
def codes(study):
    lenses = Code.objects.create(study=study, name="Theoretical lenses", grouping_only=True)
    return {
        "lenses": lenses,
        "sensemaking": Code.objects.create(
            study=study, parent=lenses, name="Sensemaking", colour="#a3c4f3", shortcut="1"
        ),
        "identity": Code.objects.create(
            study=study, parent=lenses, name="Identity work", colour="#f3c4a3", shortcut="2"
        ),
        "inhibitor": Code.objects.create(
            study=study, name="Inhibitor", colour="#f38ba0", shortcut="3"
        ),
    }


@pytest.fixture
def make_coding():
    def make(interview, code, coder, words, **extra):
        start, end = passage_of(interview.text, words)
        return Coding.objects.create(
            interview=interview,
            code=code,
            coder=coder,
            start=start,
            end=end,
            quote=interview.text[start:end],
            **extra,
        )

    return make


# Agreement: bob and carol agree on the sensemaking passage's first words but not
# its length, only carol saw an inhibitor, and both coded the same identity work.
BOB_SENSEMAKING = "We asked citizens to design the service with our frontline staff."
CAROL_SENSEMAKING = "We asked citizens"
CAROL_INHIBITOR = "The budget was tight, and the targets did not help."
IDENTITY = "I had to learn to let go."


@pytest.fixture
def coded(interview, codes, bob, carol, make_coding):
    make_coding(interview, codes["sensemaking"], bob, BOB_SENSEMAKING)
    make_coding(interview, codes["sensemaking"], carol, CAROL_SENSEMAKING)
    make_coding(interview, codes["inhibitor"], carol, CAROL_INHIBITOR)
    make_coding(interview, codes["identity"], bob, IDENTITY)
    make_coding(interview, codes["identity"], carol, IDENTITY)
    return interview


OTTER = (
    "Interviewer  0:03\nHow did the project start?\n\n"
    "Manager A  0:09\nWe asked citizens to design it.\n\n"
    "Transcribed by https://otter.ai\n"
)


@pytest.fixture
def otter_interview(study):
    """An Otter transcript whose closing credit, as the importer keeps it, is in no turn."""
    interview = Interview.objects.create(study=study, title="Otter", text=OTTER)
    for turn in detect_turns(interview.text):
        Turn.objects.create(
            interview=interview,
            speaker=turn.speaker or "",
            start=turn.start,
            end=turn.end,
            timestamp=turn.timestamp,
        )
    return interview
