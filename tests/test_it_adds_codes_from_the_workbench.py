"""Adding codes without leaving the workbench: the sidebar form and in-vivo coding."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from codebook.codes import add_code
from codebook.models import Code, Coding
from interviews.models import Membership, Role, Study
from tests.conftest import change_of, passage_of


def _post(client, interview, url_name, **data):
    args = [interview.study.slug, interview.pk]
    return client.post(reverse(url_name, args=args), data, headers={"HX-Request": "true"})


def test_in_vivo_names_a_new_code_after_the_passage_and_applies_it(client, sam, interview):
    client.force_login(sam)
    start, end = passage_of(interview.text, "“rôle” change")
    response = _post(client, interview, "coding-new-code", start=start, end=end)
    code = Code.objects.get(name="rôle” change")
    coding = Coding.objects.get(code=code)
    assert (coding.start, coding.end, coding.coder) == (start, end, sam)
    assert change_of(response)["code"] is not None


def test_a_new_code_from_the_picker_goes_under_the_chosen_parent(client, sam, interview, codes):
    client.force_login(sam)
    start, end = passage_of(interview.text, "let go")
    _post(
        client,
        interview,
        "coding-new-code",
        start=start,
        end=end,
        name="Letting go",
        parent=codes["lenses"].pk,
    )
    code = Code.objects.get(name="Letting go")
    assert code.parent == codes["lenses"]
    assert code.codings.get().quote == "let go"


def test_a_taken_name_is_refused_and_nothing_is_coded(client, sam, interview, codes):
    client.force_login(sam)
    start, end = passage_of(interview.text, "let go")
    response = _post(client, interview, "coding-new-code", start=start, end=end, name="inhibitor")
    assert "already a code" in response.content.decode()
    assert not Coding.objects.exists()
    assert Code.objects.filter(name__iexact="inhibitor").count() == 1


def test_a_white_space_passage_creates_no_code(client, sam, interview):
    client.force_login(sam)
    blank = interview.text.index("\n\n")
    response = _post(client, interview, "coding-new-code", start=blank, end=blank + 2)
    assert "white space" in response.content.decode()
    assert not Code.objects.exists()


def test_the_sidebar_adds_a_sub_code(client, sam, interview, codes):
    client.force_login(sam)
    _post(client, interview, "workbench-code-add", name=" Trust ", parent=codes["lenses"].pk)
    assert Code.objects.get(name="Trust").parent == codes["lenses"]


def test_a_coder_adds_codes_when_coding_is_open(client, study, bob, interview):
    study.open_coding = True
    study.save()
    client.force_login(bob)
    _post(client, interview, "workbench-code-add", name="Trust")
    assert Code.objects.filter(name="Trust").exists()


def test_add_code_checks_the_role(study, bob):
    with pytest.raises(PermissionDenied):
        add_code(study, bob, "Trust")


def test_add_code_refuses_a_workbench_key_as_shortcut(study, alice):
    with pytest.raises(ValidationError, match="workbench key"):
        add_code(study, alice, "Trust", shortcut="j")


def test_add_code_refuses_a_parent_from_another_study(study, alice, codes):
    other = Study.objects.create(title="Other", slug="other")
    Membership.objects.create(study=other, user=alice, role=Role.OWNER)
    with pytest.raises(ValidationError, match="another study"):
        add_code(other, alice, "Trust", parent=codes["lenses"])
