"""axe finds no accessibility violations on the import, correction and review pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from interviews.corrections import correct_transcript
from tests.test_import_readers import make_docx

BUDGET = "The budget was tight, and the targets did not help."


def violations(page):
    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
    ]


@pytest.fixture
def prepared(page, sign_in, interview, codes, bob, alice, make_coding):
    make_coding(interview, codes["inhibitor"], bob, BUDGET)
    make_coding(interview, codes["identity"], bob, "I had to learn to let go.")
    new_text = interview.text.replace(" " + BUDGET, "").replace("learn to", "learn, slowly, to")
    correct_transcript(interview, new_text, alice, 1)
    sign_in("alice", "pw-alice")
    page.goto(f"/s/{interview.study.slug}/import/")
    page.get_by_label("Transcript files").set_input_files(
        [
            {
                "name": "a.docx",
                "mimeType": "application/octet-stream",
                "buffer": make_docx(["INT: Hello Zoë.", "Zoë: Hi 🌞.", "No label here."]),
            }
        ]
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("region", name="a.docx").wait_for()
    return interview


@pytest.mark.parametrize(
    "path",
    [
        "/s/{slug}/import/",
        "/s/{slug}/participants/",
        "/s/{slug}/interviews/{pk}/correct/",
        "/s/{slug}/interviews/{pk}/versions/",
        "/s/{slug}/interviews/{pk}/versions/2/",
        "/s/{slug}/review-anchors/",
    ],
)
def test_the_page_has_no_accessibility_violations(page, prepared, path):
    page.goto(path.format(slug=prepared.study.slug, pk=prepared.pk))
    assert violations(page) == []
