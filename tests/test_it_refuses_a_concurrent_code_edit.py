"""Two people editing one code: the second save is refused and shows the other's change."""

import pytest

from codebook import tree
from codebook.models import ChangeKind, CodebookChange


def test_it_bumps_the_version_and_records_the_edit(codes, alice):
    code = tree.edit_code(codes["inhibitor"], alice, 1, definition="What holds change back.")
    assert code.version == 2
    change = CodebookChange.objects.get(kind=ChangeKind.EDIT)
    assert change.before == {"definition": ""}
    assert change.after == {"definition": "What holds change back."}
    assert change.user == alice


def test_it_refuses_the_second_of_two_saves_from_the_same_version(codes, alice, sam):
    tree.edit_code(codes["inhibitor"], alice, 1, definition="Alice's definition")
    with pytest.raises(tree.EditConflict) as conflict:
        tree.edit_code(codes["inhibitor"], sam, 1, definition="Sam's definition")
    assert conflict.value.current.definition == "Alice's definition"
    codes["inhibitor"].refresh_from_db()
    assert codes["inhibitor"].definition == "Alice's definition"


def test_it_records_no_change_when_nothing_changed(codes, alice):
    tree.edit_code(codes["inhibitor"], alice, 1, name="Inhibitor")
    assert not CodebookChange.objects.exists()
