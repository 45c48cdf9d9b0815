"""The codebook's forms say what happened where the user is, and the pages pass axe."""

from playwright.sync_api import expect

from tests.browser.test_it_passes_axe import _serious_violations


def test_saving_an_entry_by_keyboard_says_so_and_keeps_the_focus(sign_in, study, codes):
    page = sign_in("sam", "pw-sam")
    page.goto(f"/s/{study.slug}/codebook/codes/{codes['inhibitor'].pk}/")
    page.get_by_label("Notes").focus()
    page.keyboard.type("Seen in the pilot.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "save-entry"
    page.keyboard.press("Enter")
    expect(page.locator("#entry-form [role=status]")).to_have_text("Saved “Inhibitor”.")
    assert page.evaluate("document.activeElement.id") == "save-entry"
    codes["inhibitor"].refresh_from_db()
    assert codes["inhibitor"].notes == "Seen in the pilot."
    # The message was said here: it does not turn up on the next page.
    page.goto(f"/s/{study.slug}/")
    assert page.get_by_text("Saved “Inhibitor”.").count() == 0


def test_a_refused_new_code_is_announced_and_the_message_page_passes_axe(sign_in, study, codes):
    page = sign_in("sam", "pw-sam")
    page.goto(f"/s/{study.slug}/codebook/add/")
    page.get_by_label("Name").fill("Inhibitor")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("alert")).to_contain_text("already a code")
    assert _serious_violations(page) == []
    page.get_by_label("Name").fill("Framing")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("status").first).to_contain_text("Added “Framing”.")
    assert _serious_violations(page) == []


def test_the_study_page_passes_axe(sign_in, study, interview):
    page = sign_in("alice", "pw-alice")
    page.goto(f"/s/{study.slug}/")
    assert _serious_violations(page) == []
