import pytest
from django.db import IntegrityError, transaction

from codebook.models import Code, CodeInUse, Coding, Suggestion


def _coding(interview, code, coder, start, end, quote=None):
    return Coding(
        interview=interview,
        code=code,
        coder=coder,
        start=start,
        end=end,
        quote=interview.text[start:end] if quote is None else quote,
    )


def test_it_rejects_a_coding_that_ends_after_the_transcript(interview, codes, bob):
    length = len(interview.text)
    with pytest.raises(IntegrityError), transaction.atomic():
        _coding(interview, codes["sensemaking"], bob, length - 3, length + 2, "abcde").save()


def test_it_rejects_a_coding_that_ends_before_it_starts(interview, codes, bob):
    with pytest.raises(IntegrityError), transaction.atomic():
        _coding(interview, codes["sensemaking"], bob, 10, 10, "").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _coding(interview, codes["sensemaking"], bob, 10, 5, "").save()


def test_it_rejects_a_quote_that_does_not_fit_the_offsets(interview, codes, bob):
    with pytest.raises(IntegrityError), transaction.atomic():
        _coding(interview, codes["sensemaking"], bob, 10, 20, "too short").save()


def test_it_rejects_moving_a_coding_past_the_end_of_its_transcript(interview, codes, bob):
    coding = _coding(interview, codes["sensemaking"], bob, 0, 5)
    coding.save()
    length = len(interview.text)
    with pytest.raises(IntegrityError), transaction.atomic():
        Coding.objects.filter(pk=coding.pk).update(start=length, end=length + 5, quote="12345")


def test_sibling_code_names_are_unique_whatever_their_case(study, codes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Code.objects.create(study=study, parent=codes["lenses"], name="sensemaking")
    with pytest.raises(IntegrityError), transaction.atomic():
        Code.objects.create(study=study, name="INHIBITOR")
    # The same name under another parent is another code.
    Code.objects.create(study=study, parent=codes["inhibitor"], name="Sensemaking")


def test_the_same_coding_cannot_be_stored_twice(interview, codes, bob, make_coding):
    make_coding(interview, codes["sensemaking"], bob, "let go")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_coding(interview, codes["sensemaking"], bob, "let go")


def test_a_code_with_codings_cannot_be_deleted(interview, codes, bob, make_coding):
    make_coding(interview, codes["inhibitor"], bob, "the targets did not help")
    with pytest.raises(CodeInUse, match="has 1 coding"):
        codes["inhibitor"].delete()
    assert Code.objects.filter(pk=codes["inhibitor"].pk).exists()


def test_a_code_without_codings_can_be_deleted(codes):
    codes["identity"].delete()
    assert not Code.objects.filter(name="Identity work").exists()


def test_clean_recomputes_the_quote_from_the_stored_text(interview, codes, bob):
    start = interview.text.index("🙂")
    coding = _coding(interview, codes["sensemaking"], bob, start - 7, start + 1, quote="wrong")
    coding.full_clean()
    assert coding.quote == "for me 🙂"
    assert coding.quote == interview.text[coding.start : coding.end]


def test_clean_refuses_a_white_space_passage(interview, codes, bob):
    start = interview.text.index("\n\n")
    coding = _coding(interview, codes["sensemaking"], bob, start, start + 2)
    with pytest.raises(Exception, match="empty or only white space"):
        coding.full_clean()


def test_clean_refuses_a_grouping_code(interview, codes, bob):
    coding = _coding(interview, codes["lenses"], bob, 0, 5)
    with pytest.raises(Exception, match="cannot be applied"):
        coding.full_clean()


def test_code_paths(codes):
    by_id = {code.pk: code for code in codes.values()}
    assert codes["identity"].path == "Theoretical lenses/Identity work"
    assert codes["identity"].path_in(by_id) == "Theoretical lenses/Identity work"
    assert codes["inhibitor"].path == "Inhibitor"


def _suggestion(interview, code, coder, **fields):
    values = {"start": 0, "end": 5, "score": 0.5, "suggester": "terms", "model_version": "t"}
    return Suggestion.objects.create(
        interview=interview, code=code, coder=coder, **{**values, **fields}
    )


def test_a_coding_answers_at_most_one_suggestion(interview, codes, bob, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    decided = {"status": "accepted", "decided": coding.created, "coding": coding}
    _suggestion(interview, codes["inhibitor"], bob, **decided)
    _suggestion(interview, codes["inhibitor"], bob)  # open ones have no coding, any number
    _suggestion(interview, codes["inhibitor"], bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        _suggestion(interview, codes["inhibitor"], bob, **decided)


@pytest.mark.parametrize(
    "fields",
    [{"status": "maybe"}, {"score": 1.5}, {"end": 0}, {"status": "rejected"}],
)
def test_the_database_checks_each_suggestion(interview, codes, bob, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        _suggestion(interview, codes["inhibitor"], bob, **fields)
