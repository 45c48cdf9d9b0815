"""The end-within-transcript trigger survives the table rebuilds of later migrations."""

import pytest
from django.db import IntegrityError, transaction

from codebook.models import AnchorStatus, Coding


def test_it_still_rejects_inserting_a_coding_past_the_end(interview, codes, bob):
    length = len(interview.text)
    with pytest.raises(IntegrityError), transaction.atomic():
        Coding.objects.create(
            interview=interview,
            code=codes["inhibitor"],
            coder=bob,
            start=length - 3,
            end=length + 2,
            quote="abcde",
        )


def test_a_status_change_alone_does_not_consult_the_text(interview, codes, bob, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, "opening doors.")
    # A correction stores the shorter text first, then re-anchors.
    interview.text = interview.text[:20]
    interview.save()
    Coding.objects.filter(pk=coding.pk).update(anchor_status=AnchorStatus.CHANGED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Coding.objects.filter(pk=coding.pk).update(end=coding.end + 1)


def test_the_database_keeps_the_text_length_true(interview):
    from interviews.models import Interview

    assert interview.text_length == len(interview.text)
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.filter(pk=interview.pk).update(text="shorter")
