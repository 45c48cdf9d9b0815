"""Codings for the find-and-compare tests (plain functions, no fixtures).

In the interview's second turn (Manager A) bob codes identity work and, apart
from it, an inhibitor; in the fourth turn carol codes identity work overlapping
her inhibitor. sam's consensus coding of identity work touches only bob's lost
inhibitor coding.
"""

from codebook.models import AnchorStatus, Origin
from interviews.models import ParticipantAttribute


def fill_codings(interview, codes, make_coding, bob, carol, sam):
    participant = interview.participant
    ParticipantAttribute.objects.create(participant=participant, name="sector", value="Care")
    return {
        "bob_identity": make_coding(
            interview, codes["identity"], bob, "a “rôle” change for me 🙂", memo="Own <b>role</b>"
        ),
        "bob_sensemaking": make_coding(
            interview, codes["sensemaking"], bob, "it was a “rôle” change"
        ),
        "bob_inhibitor": make_coding(interview, codes["inhibitor"], bob, "The budget was tight"),
        "carol_identity": make_coding(
            interview, codes["identity"], carol, "I had to learn to let go"
        ),
        "carol_inhibitor": make_coding(interview, codes["inhibitor"], carol, "learn to let go."),
        "consensus_identity": make_coding(
            interview,
            codes["identity"],
            sam,
            "My job became opening doors.",
            origin=Origin.CONSENSUS,
        ),
        "lost_inhibitor": make_coding(
            interview,
            codes["inhibitor"],
            bob,
            "opening doors",
            anchor_status=AnchorStatus.LOST,
        ),
    }
