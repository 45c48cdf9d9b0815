"""Correct a typo before one coding and delete the sentence of another, then settle the lost one."""

from codebook.models import AnchorStatus, Coding

DESIGN = "We asked citizens to design the service with our frontline staff."
BUDGET = "The budget was tight, and the targets did not help."


def test_a_correction_keeps_one_coding_and_lists_the_other_as_lost(
    page, sign_in, interview, codes, bob, make_coding
):
    design = make_coding(interview, codes["sensemaking"], bob, DESIGN)
    budget = make_coding(interview, codes["inhibitor"], bob, BUDGET)
    sign_in("alice", "pw-alice")
    page.goto(interview.get_absolute_url())
    page.get_by_role("link", name="Correct transcript").click()
    editor = page.get_by_label("Transcript text")
    text = editor.input_value()
    editor.fill(text.replace("café", "cafe").replace(" " + BUDGET, ""))
    page.get_by_role("button", name="Save correction").click()
    page.get_by_text("1 on their passage, 0 partly changed, 1 lost").wait_for()

    design.refresh_from_db()
    interview.refresh_from_db()
    assert interview.text[design.start : design.end] == DESIGN
    assert design.anchor_status == AnchorStatus.OK

    page.get_by_role("link", name="Review changed and lost codings").click()
    item = page.get_by_role("listitem").filter(has_text=BUDGET)
    item.get_by_text("Passage deleted").wait_for()
    item.get_by_label("New passage (its exact words)").fill("My job became opening doors.")
    item.get_by_role("button", name="Re-attach").click()
    page.get_by_role("status").filter(has_text="Coding re-attached").wait_for()
    budget.refresh_from_db()
    assert (budget.anchor_status, budget.quote) == (AnchorStatus.OK, "My job became opening doors.")
    assert Coding.objects.to_review().count() == 0

    page.goto(interview.get_absolute_url())
    page.get_by_role("link", name="Versions").click()
    page.get_by_role("link", name="Version 2").click()
    assert "cafe" in page.locator("pre.diff ins").first.inner_text()


def test_a_lost_coding_is_reattached_to_a_passage_selected_after_an_emoji(
    page, sign_in, interview, codes, bob, alice, make_coding
):
    from interviews.corrections import correct_transcript

    budget = make_coding(interview, codes["inhibitor"], bob, BUDGET)
    correct_transcript(interview, interview.text.replace(" " + BUDGET, ""), alice, 1)
    sign_in("bob", "pw-bob")
    page.goto(f"/s/{interview.study.slug}/review-anchors/")
    page.get_by_role("link", name="Select the passage in the transcript").click()
    words = "We asked citizens to design the service"
    page.get_by_label("Transcript of").evaluate(
        """(element, words) => {
            const node = element.firstChild;
            const start = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + words.length);
            document.getSelection().removeAllRanges();
            document.getSelection().addRange(range);
        }""",
        words,
    )
    page.locator("#reattach-selected").filter(has_text=words).wait_for()
    page.get_by_role("button", name="Re-attach").click()
    page.get_by_text("Coding re-attached").wait_for()
    budget.refresh_from_db()
    assert (budget.quote, budget.anchor_status) == (words, AnchorStatus.OK)


def test_saving_without_edits_a_text_that_starts_with_a_newline_changes_nothing(
    page, sign_in, interview
):
    interview.text = "\n" + interview.text
    interview.save()
    sign_in("alice", "pw-alice")
    page.goto(f"/s/{interview.study.slug}/interviews/{interview.pk}/correct/")
    assert page.get_by_label("Transcript text").input_value() == interview.text
    page.get_by_role("button", name="Save correction").click()
    page.get_by_role("alert").filter(has_text="The text is unchanged").wait_for()

    saved = type(interview).objects.get(pk=interview.pk)
    assert (saved.text, saved.revision) == (interview.text, 1)
