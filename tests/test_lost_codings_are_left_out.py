"""A lost coding counts nowhere (counts, retrieval, exports) until it is re-attached."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from codebook.counts import count_codings
from codebook.selection import filter_codings
from interviews.corrections import correct_transcript
from interviews.models import Role

BUDGET = "The budget was tight, and the targets did not help."
LET_GO = "I had to learn to let go."


@pytest.fixture
def one_lost(interview, alice, bob, codes, make_coding):
    kept = make_coding(interview, codes["inhibitor"], bob, LET_GO)
    lost = make_coding(interview, codes["inhibitor"], bob, BUDGET)
    correct_transcript(interview, interview.text.replace(" " + BUDGET, ""), alice, 1)
    return kept, lost


def test_filtered_codings_leave_lost_ones_out(study, sam, one_lost):
    kept, _ = one_lost
    assert list(filter_codings(study, sam, Role.SUPERVISOR)) == [kept]


def test_code_counts_leave_lost_ones_out(study, sam, codes, one_lost):
    assert count_codings(study, sam, Role.SUPERVISOR)[codes["inhibitor"].pk]["codings"] == 1


def test_the_coded_segment_export_leaves_lost_ones_out(study, sam, one_lost):
    client = Client()
    client.force_login(sam)
    response = client.get(reverse("export-codings", args=[study.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2  # the header and the kept coding
    assert any(LET_GO in cell for cell in rows[1])
