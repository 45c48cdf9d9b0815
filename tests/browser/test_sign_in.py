from django.core.management import call_command


def test_a_demo_coder_signs_in_and_sees_the_three_interviews(page, sign_in):
    call_command("load_demo", verbosity=0)
    sign_in("coder1", "coprod-demo")
    study = page.get_by_role("region", name="Co-production seen from the top (demo)")
    links = study.get_by_role("link", name="Interview with Manager")
    assert links.all_inner_texts() == [
        "Interview with Manager A",
        "Interview with Manager B",
        "Interview with Manager C",
    ]
    links.first.click()
    page.get_by_role("heading", name="Interview with Manager A").wait_for()


def test_a_wrong_password_is_refused_with_a_message(page, transactional_db):
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill("coder1")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").filter(has_text="do not match").wait_for()
