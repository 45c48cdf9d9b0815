import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from codebook.exchange.backup import dump_study, restore_study
from codebook.models import MEMO_MAX_LENGTH, Coding, Origin, Settlement, SettlementChoice
from codebook.reliability.report import CONSENSUS, agreement_report, applicable_codes
from codebook.reliability.settle import settle_disagreement
from codebook.tree import delete_code, merge_codes
from tests.conftest import BOB_SENSEMAKING, CAROL_SENSEMAKING, passage_of

pytestmark = pytest.mark.django_db


def sensemaking_span(interview):
    return passage_of(interview.text, BOB_SENSEMAKING)


def settle(coded, codes, bob, carol, sam, **choice):
    return settle_disagreement(
        interview=coded,
        code=codes["sensemaking"],
        span=sensemaking_span(coded),
        unit="character",
        coders=[bob.pk, carol.pk],
        user=sam,
        **choice,
    )


def consensus(interview):
    return list(
        Coding.objects.filter(interview=interview, origin=Origin.CONSENSUS).values_list(
            "start", "end", "coder__username", "code__name"
        )
    )


def test_it_takes_one_coders_coding(coded, codes, bob, carol, sam):
    settlement = settle(coded, codes, bob, carol, sam, choice="coder", taken_from=carol.pk)
    start, end = passage_of(coded.text, CAROL_SENSEMAKING)
    assert consensus(coded) == [(start, end, "sam", "Sensemaking")]
    assert settlement.taken_from == carol
    assert list(settlement.consensus_codings.values_list("start", flat=True)) == [start]


def test_it_takes_the_union_of_both_codings(coded, codes, bob, carol, sam):
    settle(coded, codes, bob, carol, sam, choice="both")
    start, end = sensemaking_span(coded)
    assert consensus(coded) == [(start, end, "sam", "Sensemaking")]


def test_it_takes_neither_and_records_it(coded, codes, bob, carol, sam):
    settlement = settle(coded, codes, bob, carol, sam, choice="neither", note="Too vague.")
    assert consensus(coded) == []
    assert settlement.choice == SettlementChoice.NEITHER
    assert settlement.note == "Too vague."
    assert settlement.settled_by == sam


def test_it_takes_an_edited_passage(coded, codes, bob, carol, sam):
    start, end = passage_of(coded.text, "design the service")
    settle(coded, codes, bob, carol, sam, choice="edited", edited=(start, end))
    assert consensus(coded) == [(start, end, "sam", "Sensemaking")]
    assert Coding.objects.get(origin=Origin.CONSENSUS).quote == "design the service"


def test_settling_again_replaces_the_earlier_consensus(coded, codes, bob, carol, sam):
    settle(coded, codes, bob, carol, sam, choice="both")
    settle(coded, codes, bob, carol, sam, choice="coder", taken_from=carol.pk)
    start, end = passage_of(coded.text, CAROL_SENSEMAKING)
    assert consensus(coded) == [(start, end, "sam", "Sensemaking")]
    assert Settlement.objects.count() == 2


def test_a_supervisor_who_coded_the_passage_can_settle_on_it(coded, codes, bob, carol, make_coding):
    make_coding(coded, codes["sensemaking"], bob, CAROL_SENSEMAKING)
    settle(coded, codes, bob, carol, bob, choice="coder", taken_from=carol.pk)
    start, end = passage_of(coded.text, CAROL_SENSEMAKING)
    same = Coding.objects.filter(coder=bob, start=start, end=end)
    assert sorted(same.values_list("origin", flat=True)) == ["consensus", "manual"]


def test_a_failed_settlement_leaves_everything_as_it_was(
    coded, codes, bob, carol, sam, monkeypatch
):
    settle(coded, codes, bob, carol, sam, choice="both")
    before = consensus(coded)

    def fail(**fields):
        raise IntegrityError("the database refused the settlement")

    # Fails after the old consensus was deleted and the new one created.
    monkeypatch.setattr(Settlement.objects, "create", fail)
    with pytest.raises(IntegrityError):
        settle(coded, codes, bob, carol, sam, choice="coder", taken_from=carol.pk)
    assert consensus(coded) == before
    assert Settlement.objects.count() == 1


def test_it_refuses_a_white_space_passage(coded, codes, bob, carol, sam):
    start = coded.text.index("\n\n")
    with pytest.raises(ValidationError, match="white space"):
        settle(coded, codes, bob, carol, sam, choice="edited", edited=(start, start + 2))
    assert Settlement.objects.count() == 0


def test_settling_changes_the_agreement_with_the_consensus_layer(
    coded, codes, study, bob, carol, sam
):
    codes_ = applicable_codes(study)

    def alpha():
        report = agreement_report(study, [carol.pk, CONSENSUS], [coded], codes_, "character", 0.5)
        row = next(r for r in report.rows if r.label.endswith("Sensemaking"))
        return row.binary_alpha.value

    assert alpha() is not None and alpha() < 0.1
    settle(coded, codes, bob, carol, sam, choice="coder", taken_from=carol.pk)
    assert alpha() == pytest.approx(1.0)


def disagreement_url(study, interview, code, start, end, bob, carol, only=None):
    url = reverse("agreement-disagreement", args=[study.slug, interview.pk])
    url += (
        f"?coders={bob.pk}&coders={carol.pk}&unit=character&code={code.pk}&start={start}&end={end}"
    )
    return url + (f"&only={only}" if only else "")


def test_the_page_settles_and_returns_to_the_list(client, coded, codes, study, bob, carol, sam):
    start, end = sensemaking_span(coded)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    client.force_login(sam)
    page = client.get(url).content.decode()
    assert "We asked citizens" in page and f"Take {carol.username}" in page
    response = client.post(url, {"choice": f"coder:{carol.pk}", "note": " Shorter is right. "})
    assert response.status_code == 302
    assert reverse("agreement-disagreements", args=[study.slug]) in response["Location"]
    settlement = Settlement.objects.get()
    assert (settlement.choice, settlement.note, settlement.unit) == (
        "coder",
        "Shorter is right.",
        "character",
    )
    listing = client.get(response["Location"]).content.decode()
    assert "Settled 1 of" in listing and "Settled by sam" in listing


def test_the_page_keeps_the_note_when_the_edited_passage_is_missing(
    client, coded, codes, study, bob, carol, sam
):
    start, end = sensemaking_span(coded)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    client.force_login(sam)
    response = client.post(url, {"choice": "edited", "start": "", "end": "", "note": "Keep me"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "give a start and an end" in page
    assert "Keep me" in page
    assert Settlement.objects.count() == 0


@pytest.mark.parametrize("persona", ["vic", "bob"])
def test_only_supervisors_and_owners_settle(
    client, request, coded, codes, study, bob, carol, persona
):
    study.blind_coding = False
    study.save()
    start, end = sensemaking_span(coded)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 200
    assert client.post(url, {"choice": "neither"}).status_code == 403
    assert Settlement.objects.count() == 0


def test_a_stranger_cannot_settle(client, coded, codes, study, bob, carol, charlie):
    start, end = sensemaking_span(coded)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    client.force_login(charlie)
    assert client.post(url, {"choice": "neither"}).status_code == 404


def test_a_span_outside_the_transcript_is_not_found(client, coded, codes, study, bob, carol, sam):
    url = disagreement_url(study, coded, codes["sensemaking"], 0, 10_000, bob, carol)
    client.force_login(sam)
    assert client.get(url).status_code == 404


def test_a_backup_carries_the_settlements(coded, codes, study, bob, carol, sam):
    settle(coded, codes, bob, carol, sam, choice="coder", taken_from=carol.pk, note="Short.")
    restored = restore_study(dump_study(study), slug="copy")
    copy = Settlement.objects.get(study=restored)
    assert (copy.choice, copy.taken_from, copy.note) == ("coder", carol, "Short.")
    made = Coding.objects.get(interview__study=restored, origin=Origin.CONSENSUS)
    assert list(copy.consensus_codings.all()) == [made]


def test_merging_codes_moves_their_settlements(coded, codes, bob, carol, sam):
    settle(coded, codes, bob, carol, sam, choice="neither")
    merge_codes(codes["sensemaking"], codes["identity"], sam)
    assert Settlement.objects.get().code == codes["identity"]


def test_deleting_a_code_without_codings_drops_its_settlements(interview, codes, bob, carol, sam):
    settle_disagreement(
        interview=interview,
        code=codes["inhibitor"],
        span=(0, 10),
        unit="turn",
        coders=[bob.pk, carol.pk],
        choice="neither",
        user=sam,
    )
    delete_code(codes["inhibitor"], sam)
    assert Settlement.objects.count() == 0


# A settlement decides its own span: what lies outside it stays as earlier settlements left it.

TURN = "the whole turn"


def settle_span(coded, codes, bob, carol, sam, words, **choice):
    if words == TURN:
        span = (coded.text.index("Yes – it was"), coded.text.index("did not help.") + 13)
    else:
        span = passage_of(coded.text, words)
    return settle_disagreement(
        interview=coded,
        code=codes["sensemaking"],
        span=span,
        unit="sentence",
        coders=[bob.pk, carol.pk],
        user=sam,
        **choice,
    )


def consensus_made_by(interview):
    return [
        (coding.quote, sorted(s.pk for s in coding.settlements.all()))
        for coding in Coding.objects.filter(interview=interview, origin=Origin.CONSENSUS)
        .prefetch_related("settlements")
        .order_by("start")
    ]


def test_neither_in_part_of_a_consensus_passage_keeps_the_rest(coded, codes, bob, carol, sam):
    whole_turn = settle_span(coded, codes, bob, carol, sam, TURN, choice="coder", taken_from=bob.pk)
    assert consensus_made_by(coded) == [(BOB_SENSEMAKING, [whole_turn.pk])]

    middle = settle_span(coded, codes, bob, carol, sam, "to design the service", choice="neither")

    assert consensus_made_by(coded) == [
        ("We asked citizens", [whole_turn.pk]),
        ("with our frontline staff.", [whole_turn.pk]),
    ]
    assert list(middle.consensus_codings.all()) == []


def test_taking_a_passage_again_joins_the_parts_that_stayed(coded, codes, bob, carol, sam):
    first = settle_span(coded, codes, bob, carol, sam, TURN, choice="coder", taken_from=bob.pk)
    settle_span(coded, codes, bob, carol, sam, "to design the service", choice="neither")
    again = settle_span(coded, codes, bob, carol, sam, "to design the service", choice="both")
    assert consensus_made_by(coded) == [(BOB_SENSEMAKING, [first.pk, again.pk])]


def test_an_edited_passage_joins_parts_across_white_space(coded, codes, bob, carol, sam):
    settle_span(coded, codes, bob, carol, sam, TURN, choice="coder", taken_from=bob.pk)
    settle_span(coded, codes, bob, carol, sam, "to design the service", choice="neither")
    start, end = passage_of(coded.text, " to design the service ")
    settle_span(
        coded, codes, bob, carol, sam, "to design the service", choice="edited", edited=(start, end)
    )
    assert [quote for quote, _ in consensus_made_by(coded)] == [BOB_SENSEMAKING]


def test_an_edited_passage_loses_white_space_at_its_ends(coded, codes, bob, carol, sam):
    start, end = passage_of(coded.text, " design the service ")
    settle(coded, codes, bob, carol, sam, choice="edited", edited=(start, end))
    assert [quote for quote, _ in consensus_made_by(coded)] == ["design the service"]


def test_the_page_refuses_an_edited_passage_away_from_the_disagreement(
    client, coded, codes, study, bob, carol, sam
):
    earlier = settle(coded, codes, bob, carol, sam, choice="coder", taken_from=carol.pk)
    start, end = sensemaking_span(coded)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    elsewhere = passage_of(coded.text, "I had to learn")
    client.force_login(sam)
    response = client.post(
        url, {"choice": "edited", "start": elsewhere[0], "end": elsewhere[1], "note": "Keep me"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "lies outside the disagreement" in page and "Keep me" in page
    assert consensus_made_by(coded) == [(CAROL_SENSEMAKING, [earlier.pk])]
    assert Settlement.objects.count() == 1


def test_an_edited_passage_of_only_a_speaker_label_is_refused(coded, codes, bob, carol, sam):
    label = passage_of(coded.text, "[00:00:12] Manager A:")
    with pytest.raises(ValidationError, match="only a speaker’s name or a timestamp"):
        settle_disagreement(
            interview=coded,
            code=codes["sensemaking"],
            span=(0, len(coded.text)),  # a character-level stretch around the label
            unit="character",
            coders=[bob.pk, carol.pk],
            user=sam,
            choice="edited",
            edited=label,
        )
    assert Settlement.objects.count() == 0


def test_an_edited_passage_in_the_closing_credit_is_said_by_no_one(
    otter_interview, codes, bob, carol, sam
):
    credit = passage_of(otter_interview.text, "Transcribed by https://otter.ai")
    with pytest.raises(ValidationError, match="outside what anyone said") as refused:
        settle_disagreement(
            interview=otter_interview,
            code=codes["sensemaking"],
            span=(0, len(otter_interview.text)),
            unit="character",
            coders=[bob.pk, carol.pk],
            user=sam,
            choice="edited",
            edited=credit,
        )
    assert "speaker’s name" not in str(refused.value)
    assert Settlement.objects.count() == 0


def test_a_coding_changed_after_the_page_opened_is_not_taken_unseen(
    client, coded, codes, study, bob, carol, sam
):
    start, end = sensemaking_span(coded)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    client.force_login(sam)
    seen = client.get(url).context["seen"]
    # Meanwhile bob widens his coding: "take bob's" would take a passage nobody looked at.
    widened = Coding.objects.get(coder=bob, code=codes["sensemaking"])
    widened.end += 20
    widened.quote = coded.text[widened.start : widened.end]
    widened.save()
    answer = {"choice": f"coder:{bob.pk}", "note": "Bob's is right.", "seen": seen}
    response = client.post(url, answer)
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed after you opened the page" in page and "Bob&#x27;s is right." in page
    assert Settlement.objects.count() == 0 and consensus(coded) == []
    # Looked at again, it settles.
    response = client.post(url, {**answer, "seen": response.context["seen"]})
    assert response.status_code == 302
    assert consensus(coded) == [(widened.start, widened.end, "sam", "Sensemaking")]


def test_a_note_longer_than_a_memo_is_refused_and_kept_in_the_box(
    client, coded, codes, study, bob, carol, sam
):
    # The note becomes the consensus coding's memo, which holds up to MEMO_MAX_LENGTH.
    start, end = sensemaking_span(coded)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    client.force_login(sam)
    note = "Both coders read it as sensemaking. " * (MEMO_MAX_LENGTH // 36 + 1)
    response = client.post(url, {"choice": "both", "note": note})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"up to {MEMO_MAX_LENGTH:,} characters" in page
    assert f"{len(note.strip()):,}" in page
    assert note.strip() in page
    assert Settlement.objects.count() == 0
    assert not Coding.objects.filter(origin=Origin.CONSENSUS).exists()


def test_a_note_as_long_as_a_memo_may_be_is_kept(client, coded, codes, study, bob, carol, sam):
    start, end = sensemaking_span(coded)
    url = disagreement_url(study, coded, codes["sensemaking"], start, end, bob, carol)
    client.force_login(sam)
    response = client.post(url, {"choice": "both", "note": "n" * MEMO_MAX_LENGTH})
    assert response.status_code == 302
    assert len(Settlement.objects.get().note) == MEMO_MAX_LENGTH
    assert Coding.objects.get(origin=Origin.CONSENSUS).memo == "n" * MEMO_MAX_LENGTH
