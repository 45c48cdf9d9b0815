"""Pages that only name interviews do not read their transcripts (megabytes in a large study)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from codebook.models import SuggestionRun

# The column read whole; SUBSTR (a passage's context) and LENGTH are cut by the database.
WHOLE_TEXT = re.compile(r'(?<!SUBSTR\()(?<!SUBSTRING\()(?<!LENGTH\()"interviews_interview"\."text"')


def reading_transcripts(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries if WHOLE_TEXT.search(q["sql"])]


@pytest.mark.parametrize(
    "page", ["retrieval", "search", "export", "codebook-split", "suggestion-run"]
)
def test_a_page_naming_interviews_does_not_read_them(
    client, study, interview, codes, sam, bob, make_coding, page
):
    make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    run = SuggestionRun.objects.create(
        study=study, interview=interview, suggester="terms", coder=sam, requested_by=sam
    )
    args = {
        "codebook-split": [study.slug, codes["inhibitor"].pk],
        "suggestion-run": [study.slug, run.pk],
    }.get(page, [study.slug])
    client.force_login(sam)
    assert reading_transcripts(client, reverse(page, args=args)) == []
