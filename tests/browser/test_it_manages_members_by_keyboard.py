"""An owner adds a member with the keyboard alone, and the new member opens the study."""

from interviews.models import Membership, Role
from tests.browser.test_it_passes_axe import _serious_violations


def _tab_to(page, locator):
    for _ in range(60):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} cannot be reached with Tab")


def test_the_owner_adds_a_supervisor_by_keyboard_and_they_open_the_study(
    page, sign_in, study, interview, alice, charlie
):
    sign_in("alice", "pw-alice")
    page.goto(study.get_absolute_url())
    _tab_to(page, page.get_by_role("link", name="Manage members"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Members of {study.title}").wait_for()

    _tab_to(page, page.get_by_label("User name or e-mail"))
    page.keyboard.type("charlie")
    role = page.get_by_label("Role", exact=True)
    _tab_to(page, role)
    page.keyboard.type("Supervisor")  # a closed select picks the option typed
    assert role.input_value() == "supervisor"
    _tab_to(page, page.get_by_role("button", name="Add member"))
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="charlie is now a member").wait_for()
    assert page.get_by_label("Role of charlie").input_value() == "supervisor"
    assert Membership.objects.get(study=study, user=charlie).role == Role.SUPERVISOR

    page.get_by_role("button", name="Sign out").click()
    sign_in("charlie", "pw-charlie")
    page.get_by_role("link", name=study.title).first.click()
    page.get_by_role("heading", name=study.title, exact=True).wait_for()
    page.get_by_role("link", name=interview.title).click()
    page.wait_for_selector("#workbench[data-ready=true]")


def test_the_members_pages_have_no_serious_violations(page, sign_in, study, alice, bob):
    sign_in("alice", "pw-alice")
    page.goto(f"/s/{study.slug}/members/")
    page.get_by_label("User name or e-mail").fill("dora")
    page.get_by_role("button", name="Add member").click()
    page.get_by_role("alert").filter(has_text="There is no account named").wait_for()
    assert _serious_violations(page) == []
    page.get_by_role("link", name="Remove bob").click()
    page.get_by_role("heading", name=f"Remove bob from {study.title}?").wait_for()
    assert _serious_violations(page) == []
