"""A supervisor reads alpha per code and settles a disagreement with the keyboard."""

import re

from playwright.sync_api import expect

from codebook.models import Coding, Origin, Settlement
from tests.conftest import BOB_SENSEMAKING, CAROL_SENSEMAKING, passage_of


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


SELECT = """([from, to]) => {
  const box = document.querySelector("[data-passage-context]");
  const place = (words, after) => {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(words);
      if (at >= 0) return [node, after ? at + words.length : at];
    }
  };
  const [a, i] = place(from, false);
  const [b, j] = place(to, true);
  const range = document.createRange();
  range.setStart(a, i);
  range.setEnd(b, j);
  document.getSelection().removeAllRanges();
  document.getSelection().addRange(range);
}"""


def test_selecting_text_after_an_emoji_gives_code_point_offsets(
    sign_in, coded, codes, study, bob, carol
):
    text = coded.text
    start, end = passage_of(text, BOB_SENSEMAKING)
    page = sign_in("sam", "pw-sam")
    page.goto(
        f"/s/{study.slug}/agreement/disagreements/{coded.pk}/?coders={bob.pk}&coders={carol.pk}"
        f"&unit=character&code={codes['sensemaking'].pk}&start={start}&end={end}"
    )
    # Across the emoji (two UTF-16 units, one code point), into the disagreement.
    page.evaluate(SELECT, ["change for me", "We asked citizens"])
    expected_start = text.index("change for me")
    expected_end = text.index("We asked citizens") + len("We asked citizens")
    expect(page.get_by_label("Edited passage starts at")).to_have_value(str(expected_start))
    expect(page.get_by_label("Edited passage ends before")).to_have_value(str(expected_end))
    expect(page.get_by_label("An edited passage")).to_be_checked()
    page.get_by_role("button", name="Settle").click()
    expect(page.get_by_text("Settled 1 of")).to_be_visible()
    quote = Coding.objects.get(origin=Origin.CONSENSUS).quote
    assert quote == text[expected_start:expected_end]
    assert quote == "change for me 🙂. We asked citizens"
