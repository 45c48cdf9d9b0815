"""A researcher reaches the export buttons by keyboard and gets a CSV that Python's csv reads."""

import csv
import io

from tests.exchange_data import fill_study


def test_it_downloads_the_coded_segments_from_the_study_page_by_keyboard(
    page, sign_in, study, interview, codes, make_coding, alice, sam, bob, carol
):
    fill_study(study, interview, codes, make_coding, alice, sam, bob, carol)
    sign_in("alice", "pw-alice")
    page.goto(f"/s/{study.slug}/")
    link = page.get_by_role("link", name="Coded segments (CSV)")
    for _ in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    assert link.evaluate("element => element === document.activeElement")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    with open(download.value.path(), encoding="utf-8", newline="") as downloaded:
        content = downloaded.read()
    records = list(csv.DictReader(io.StringIO(content, newline="")))
    assert len(records) == 6
    emoji = next(r for r in records if "🙂" in r["quote"])
    assert interview.text[int(emoji["start"]) : int(emoji["end"])] == emoji["quote"]
