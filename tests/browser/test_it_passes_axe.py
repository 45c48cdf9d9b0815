"""axe-core's WCAG 2.2 AA rules find nothing serious on the study list and the workbench."""

from axe_playwright_python.sync_playwright import Axe

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _serious_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert len(results.response["passes"]) > 10, "axe-core checked next to nothing"
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_study_list_has_no_serious_violations(page, sign_in, bob, interview):
    sign_in("bob", "pw-bob")
    assert page.get_by_role("link", name=interview.title).count() == 1
    assert _serious_violations(page) == []


def test_the_workbench_has_no_serious_violations(
    page, open_workbench, drag_select, sam, bob, carol, interview, codes, make_coding
):
    make_coding(interview, codes["sensemaking"], bob, "We asked citizens", memo="Design.")
    make_coding(interview, codes["inhibitor"], carol, "asked citizens to design")
    open_workbench(sam, interview)
    page.goto(f"{interview.get_absolute_url()}?layer=c{bob.pk}&layer=c{carol.pk}&list=1")
    page.wait_for_selector(".stripe")
    page.locator(".stripe").first.click()
    page.wait_for_selector("#coding-panel blockquote")
    assert _serious_violations(page) == []
    drag_select("frontline staff")
    page.wait_for_selector("#picker:not([hidden])")
    assert _serious_violations(page) == []
