"""In Chromium: a supervisor merges two codes, then moves a subtree with the keyboard."""

from codebook.models import Code, Coding


def test_a_supervisor_merges_two_codes(page, sign_in, study, interview, codes, bob, make_coding):
    make_coding(interview, codes["identity"], bob, "I had to learn to let go")
    sign_in("sam", "pw-sam")
    page.goto(f"/s/pilot/codebook/codes/{codes['identity'].pk}/")
    page.get_by_role("link", name="Merge into another code…").click()
    page.get_by_label("Merge into").select_option(label="Theoretical lenses/Sensemaking")
    page.get_by_role("button", name="Preview the merge").click()
    page.get_by_text("1 coding will move").wait_for()
    page.get_by_role("button", name="Merge 1 coding").click()
    page.get_by_text("Merged “Identity work” into “Sensemaking”").wait_for()
    assert not Code.objects.filter(pk=codes["identity"].pk).exists()
    assert Coding.objects.get().code_id == codes["sensemaking"].pk


def _said(page, words):
    said = page.locator("#tree-said")
    said.filter(has_text=words).wait_for(state="attached")
    return said.text_content()


def _focused(page):
    return page.evaluate("document.activeElement.textContent")


def test_a_supervisor_moves_a_subtree_by_keyboard(page, sign_in, study, codes):
    sign_in("sam", "pw-sam")
    page.goto("/s/pilot/codebook/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Theoretical lenses", exact=True).focus()
    page.keyboard.press("Alt+ArrowRight")
    said = _said(page, "is now under")
    assert said == "“Theoretical lenses” is now under “Inhibitor”, 1 of 1."
    assert page.locator("#tree-said").get_attribute("role") == "status"
    codes["sensemaking"].refresh_from_db()
    assert codes["sensemaking"].path == "Inhibitor/Theoretical lenses/Sensemaking"
    assert _focused(page) == "Theoretical lenses"

    page.keyboard.press("Alt+ArrowLeft")
    said = _said(page, "top level")
    assert said == "“Theoretical lenses” is now at the top level, 2 of 2."
    codes["lenses"].refresh_from_db()
    assert codes["lenses"].parent is None and codes["lenses"].position == 1
    assert _focused(page) == "Theoretical lenses"

    # Reordering swaps the tree in place and says where the code went.
    page.keyboard.press("Alt+ArrowUp")
    assert _said(page, "moved up") == "“Theoretical lenses” moved up: now 1 of 2 at the top level."
    assert _focused(page) == "Theoretical lenses"
    top = list(Code.objects.filter(study=study, parent=None).values_list("name", flat=True))
    assert top == ["Theoretical lenses", "Inhibitor"]
    assert page.evaluate("window.notReloaded") is True


def test_a_move_the_tree_refuses_is_said_and_keeps_the_focus(page, sign_in, study, codes):
    Code.objects.create(study=study, name="sensemaking")  # the same name, once at the top
    sign_in("sam", "pw-sam")
    page.goto(f"/s/pilot/codebook/?focus={codes['sensemaking'].pk}")
    page.evaluate("window.notReloaded = true")
    assert _focused(page) == "Sensemaking"
    page.keyboard.press("Alt+ArrowLeft")
    said = _said(page, "already")
    assert said == "There is already a code “Sensemaking” at the top of the codebook."
    codes["sensemaking"].refresh_from_db()
    assert codes["sensemaking"].parent == codes["lenses"]
    assert _focused(page) == "Sensemaking"

    # Inhibitor comes first at the top level, by name: nothing above it, no parent to leave.
    page.get_by_role("link", name="Inhibitor", exact=True).focus()
    page.keyboard.press("Alt+ArrowRight")
    assert _said(page, "no code above") == "“Inhibitor” has no code above it to go under."
    page.keyboard.press("Alt+ArrowLeft")
    assert _said(page, "already at") == "“Inhibitor” is already at the top level."
    assert page.evaluate("window.notReloaded") is True


def test_reordering_by_keyboard_says_where_the_code_now_is(page, sign_in, study, codes):
    sign_in("sam", "pw-sam")
    page.goto(f"/s/pilot/codebook/?focus={codes['sensemaking'].pk}")
    assert page.evaluate("document.activeElement.textContent") == "Sensemaking"
    said = page.locator("#tree-said")
    page.keyboard.press("Alt+ArrowUp")  # Identity work came first, by name
    said.filter(has_text="Sensemaking").wait_for(state="attached")
    assert said.text_content() == "“Sensemaking” moved up: now 1 of 2 under “Theoretical lenses”."
    assert page.evaluate("document.activeElement.textContent") == "Sensemaking"
    page.keyboard.press("Alt+ArrowUp")  # already first: said so, again in the same region
    said.filter(has_text="stays").wait_for(state="attached")
    assert said.text_content() == "“Sensemaking” stays 1 of 2 under “Theoretical lenses”."


def test_the_move_form_works_with_the_keyboard_alone(page, sign_in, study, codes):
    sign_in("sam", "pw-sam")
    page.goto(f"/s/pilot/codebook/codes/{codes['inhibitor'].pk}/")
    parent = page.get_by_label("New parent")
    parent.focus()
    page.keyboard.press("ArrowDown")  # the first code after "top of the codebook"
    page.get_by_label("Place among its new siblings").focus()
    page.keyboard.type("1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    codes["inhibitor"].refresh_from_db()
    assert codes["inhibitor"].path == "Theoretical lenses/Inhibitor"
    assert codes["inhibitor"].position == 0
