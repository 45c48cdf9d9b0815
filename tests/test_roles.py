import pytest

from interviews.models import Role, Study


@pytest.mark.parametrize(
    ("role", "code", "review", "manage"),
    [
        (Role.OWNER, True, True, True),
        (Role.SUPERVISOR, True, True, False),
        (Role.CODER, True, False, False),
        (Role.VIEWER, False, False, False),
    ],
)
def test_each_role_answers_the_permission_questions(role, code, review, manage):
    assert role.can_code() is code
    assert role.can_review() is review
    assert role.can_manage() is manage


def test_blind_coding_hides_other_coders_from_coders_only():
    blind, open_study = Study(blind_coding=True), Study(blind_coding=False)
    assert not Role.CODER.sees_other_coders(blind)
    assert Role.VIEWER.sees_other_coders(blind)
    assert Role.SUPERVISOR.sees_other_coders(blind)
    assert Role.CODER.sees_other_coders(open_study)


def test_coders_add_codes_only_when_the_study_allows_open_coding():
    assert not Role.CODER.can_add_codes(Study(open_coding=False))
    assert Role.CODER.can_add_codes(Study(open_coding=True))
    assert not Role.CODER.can_reshape_codebook()
    assert not Role.VIEWER.can_add_codes(Study(open_coding=True))
    assert Role.SUPERVISOR.can_add_codes(Study(open_coding=False))
