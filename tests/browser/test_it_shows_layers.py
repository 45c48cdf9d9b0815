"""Whose codings are drawn: a supervisor shows two coders, each in a band of stripes of its own."""

from interviews.models import Study


def test_a_supervisor_sees_each_coders_stripes_apart(
    page, open_workbench, sam, bob, carol, interview, codes, make_coding
):
    make_coding(interview, codes["sensemaking"], bob, "We asked citizens")
    make_coding(interview, codes["inhibitor"], carol, "asked citizens to design")
    open_workbench(sam, interview)
    assert page.locator(".stripe").count() == 0  # by default, sam's own codings: none
    page.get_by_label("bob").check()
    page.get_by_label("carol").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector(".stripe >> nth=1")

    bobs = page.locator(f'.stripe[data-layer="c{bob.pk}"]')
    carols = page.locator(f'.stripe[data-layer="c{carol.pk}"]')
    assert bobs.get_attribute("aria-label") == "Theoretical lenses/Sensemaking, by bob"
    assert carols.get_attribute("aria-label") == "Inhibitor, by carol"
    assert bobs.bounding_box()["x"] != carols.bounding_box()["x"]
    assert page.locator(".stripes .band").all_text_contents() == ["bob", "carol"]
    # Both passages overlap: two layered underlines on the shared words.
    shared = page.locator(".seg.hl", has_text="asked citizens").first
    assert shared.get_attribute("data-ids").count(" ") == 1


def test_a_blind_coder_has_no_layer_switch(
    page, open_workbench, bob, carol, interview, codes, make_coding
):
    make_coding(interview, codes["inhibitor"], carol, "asked citizens to design")
    open_workbench(bob, interview)
    assert page.get_by_role("button", name="Show").count() == 0
    assert page.locator(".stripe").count() == 0
    Study.objects.update(blind_coding=False)
    page.reload()
    page.get_by_label("carol").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector(".stripe")
    assert page.locator(".stripe").get_attribute("aria-label") == "Inhibitor, by carol"
