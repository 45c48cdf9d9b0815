"""A richly coded study for the export, exchange and backup tests (plain functions, no fixtures)."""

from codebook.models import Code, Memo, Origin
from interviews.models import Interview, ParticipantAttribute


def fill_study(study, interview, codes, make_coding, alice, sam, bob, carol):
    """Add attributes, codings by several coders (one consensus), memos and a second interview."""
    participant = interview.participant
    ParticipantAttribute.objects.create(participant=participant, name="sector", value="Care")
    ParticipantAttribute.objects.create(participant=participant, name="years", value="12")
    codings = {
        "bob_rôle": make_coding(interview, codes["identity"], bob, "a “rôle” change for me 🙂"),
        "bob_budget": make_coding(
            interview, codes["inhibitor"], bob, "The budget was tight", memo="=SUM(A1) money"
        ),
        "carol_budget": make_coding(interview, codes["inhibitor"], carol, "The budget was tight"),
        "carol_doors": make_coding(
            interview, codes["sensemaking"], carol, "My job became opening doors."
        ),
        "consensus": make_coding(
            interview,
            codes["inhibitor"],
            sam,
            "The budget was tight",
            origin=Origin.CONSENSUS,
            memo='Settled: both said "budget", keep it.',
        ),
    }
    second = Interview.objects.create(
        study=study, title="Manager B", text="Line one,\nand “two” – ok?", position=1
    )
    codings["bob_second"] = make_coding(second, codes["sensemaking"], bob, "“two”")
    Memo.objects.create(study=study, author=alice, title="Study memo", text="Why we began.")
    Memo.objects.create(study=study, interview=interview, author=bob, text="Tense interview.")
    Memo.objects.create(study=study, code=codes["inhibitor"], author=sam, text="Barriers only.")
    Code.objects.filter(pk=codes["inhibitor"].pk).update(definition="What holds work back.")
    return codings
