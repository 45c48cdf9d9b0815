"""A supervisor reads alpha per code and settles a disagreement with the keyboard."""

import re

from playwright.sync_api import expect

from codebook.models import Coding, Origin, Settlement
from tests.conftest import CAROL_SENSEMAKING


def test_a_supervisor_reads_alpha_and_settles_a_disagreement(sign_in, coded, sam, bob, carol):
    page = sign_in("sam", "pw-sam")
    page.get_by_role("link", name="Co-production pilot").click()
    page.get_by_role("link", name="Inter-coder agreement").click()
    page.get_by_label("Character (continuum)").check()
    page.get_by_role("button", name="Compute agreement").click()

    header = page.get_by_role("rowheader", name="Theoretical lenses/Sensemaking", exact=True)
    row = page.locator("tr", has=header)
    alpha = row.get_by_role("cell").nth(4)
    expect(alpha).to_have_text(re.compile(r"^-?\d\.\d{3}"))
    expect(page).to_have_url(re.compile(r"unit=character"))

    row.get_by_role("link", name=re.compile("disagreements on")).click()
    expect(page.get_by_text("Settled 0 of 1.")).to_be_visible()
    passage = page.get_by_role("link", name=re.compile("We asked citizens"))
    passage.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="carol")).to_be_visible()
    choice = page.get_by_label("Take carol's coding")
    choice.focus()
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    page.get_by_label("Note").fill("The short passage is the sensemaking.")
    page.get_by_role("button", name="Settle").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Settled 1 of 1.")).to_be_visible()
    expect(page.get_by_text("Settled by sam")).to_be_visible()
    consensus = Coding.objects.get(origin=Origin.CONSENSUS)
    assert consensus.quote == CAROL_SENSEMAKING
    assert Settlement.objects.get().note == "The short passage is the sensemaking."


def test_a_blind_coder_cannot_reach_agreement(sign_in, coded, study):
    page = sign_in("bob", "pw-bob")
    page.get_by_role("link", name="Co-production pilot").click()
    expect(page.get_by_role("link", name="Inter-coder agreement")).to_have_count(0)
    response = page.goto(f"/s/{study.slug}/agreement/")
    assert response.status == 403
