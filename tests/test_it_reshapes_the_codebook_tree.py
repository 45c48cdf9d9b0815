"""Tree operations: add, move, reorder, merge, split, delete, each with its counts and history."""

import pytest

from codebook import tree
from codebook.models import ChangeKind, Code, CodebookChange, Coding, Memo, Origin, Settlement


def _names(study, parent=None):
    return list(Code.objects.filter(study=study, parent=parent).values_list("name", flat=True))


def test_it_adds_a_code_at_the_end_of_its_siblings(study, codes, alice):
    code = tree.add_code(study, alice, "  Framing  ", codes["lenses"], colour="#ABC")
    assert code.name == "Framing"
    assert code.colour == "#aabbcc"
    assert _names(study, codes["lenses"]) == ["Identity work", "Sensemaking", "Framing"]


def test_it_refuses_a_sibling_named_alike_in_accented_capitals(study, codes, alice):
    tree.add_code(study, alice, "ÉLAN", codes["lenses"])
    with pytest.raises(tree.TreeError, match="already a code “élan”"):
        tree.add_code(study, alice, "élan", codes["lenses"])


def test_it_refuses_a_sibling_with_the_same_name(study, codes, alice):
    with pytest.raises(tree.TreeError, match="already a code “sensemaking”"):
        tree.add_code(study, alice, "sensemaking", codes["lenses"])


def test_it_moves_a_subtree_under_another_parent(study, codes, alice):
    governance = tree.add_code(study, alice, "Governance", grouping_only=True)
    tree.move_code(codes["lenses"], alice, governance)
    codes["sensemaking"].refresh_from_db()
    assert codes["sensemaking"].path == "Governance/Theoretical lenses/Sensemaking"
    assert _names(study) == ["Inhibitor", "Governance"]
    assert [c.position for c in Code.objects.filter(study=study, parent=None)] == [0, 1]


def test_it_refuses_to_move_a_code_under_its_own_subtree(study, codes, alice):
    with pytest.raises(tree.TreeError, match="cannot be moved under itself"):
        tree.move_code(codes["lenses"], alice, codes["sensemaking"])


def test_it_reorders_siblings(study, codes, alice):
    tree.reorder_code(codes["sensemaking"], alice, -1)
    assert _names(study, codes["lenses"]) == ["Sensemaking", "Identity work"]
    change = CodebookChange.objects.get(kind=ChangeKind.REORDER)
    assert change.before == {"path": "Theoretical lenses/Sensemaking", "position": 1}
    assert change.after["position"] == 0


def test_it_merges_codings_joining_duplicates_and_memos(
    study, interview, codes, alice, bob, carol, make_coding
):
    words = "We asked citizens to design the service"
    make_coding(interview, codes["sensemaking"], bob, words, memo="bob on sensemaking")
    make_coding(interview, codes["identity"], bob, words, memo="bob on identity")
    make_coding(interview, codes["identity"], carol, words)
    make_coding(interview, codes["identity"], bob, "I had to learn to let go")
    Memo.objects.create(study=study, code=codes["identity"], author=alice, text="A code memo")
    counts = tree.preview_merge(codes["identity"], codes["sensemaking"])
    assert (counts.codings, counts.duplicates, counts.memos) == (3, 1, 1)

    tree.merge_codes(codes["identity"], codes["sensemaking"], alice)

    assert not Code.objects.filter(pk=codes["identity"].pk).exists()
    codings = Coding.objects.filter(code=codes["sensemaking"])
    assert codings.count() == 3
    joined = codings.get(coder=bob, quote=words)
    assert joined.memo == "bob on sensemaking\n\nbob on identity"
    assert Memo.objects.get(text="A code memo").code == codes["sensemaking"]
    assert CodebookChange.objects.filter(kind=ChangeKind.MERGE).count() == 2


def test_it_joins_consensus_codings_whoever_settled_them(
    study, interview, codes, alice, bob, carol, make_coding
):
    words = "We asked citizens to design the service"
    settled = make_coding(interview, codes["identity"], alice, words, origin=Origin.CONSENSUS)
    make_coding(interview, codes["sensemaking"], bob, words, origin=Origin.CONSENSUS)
    # A supervisor who codes too keeps their own coding beside the agreed one.
    own = make_coding(interview, codes["identity"], bob, words)
    settlement = Settlement.objects.create(
        study=study,
        interview=interview,
        code=codes["identity"],
        start=settled.start,
        end=settled.end,
        unit="sentence",
        choice="both",
        settled_by=alice,
    )
    settlement.consensus_codings.add(settled)
    assert tree.preview_merge(codes["identity"], codes["sensemaking"]).duplicates == 1

    tree.merge_codes(codes["identity"], codes["sensemaking"], alice)

    agreed = Coding.objects.get(code=codes["sensemaking"], origin=Origin.CONSENSUS)
    assert agreed.coder == bob
    assert list(agreed.settlements.all()) == [settlement]
    own.refresh_from_db()
    assert own.code == codes["sensemaking"]
    assert Coding.objects.filter(code=codes["sensemaking"]).count() == 2


def test_it_moves_subcodes_when_merging_a_parent(study, codes, alice):
    other = tree.add_code(study, alice, "Other lenses", grouping_only=True)
    tree.merge_codes(codes["lenses"], other, alice)
    assert _names(study, other) == ["Identity work", "Sensemaking"]


def test_it_refuses_to_merge_codings_into_a_grouping_code(
    study, interview, codes, bob, alice, make_coding
):
    make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    with pytest.raises(tree.TreeError, match="grouping-only"):
        tree.merge_codes(codes["inhibitor"], codes["lenses"], alice)
    assert Code.objects.filter(pk=codes["inhibitor"].pk).exists()


def test_it_splits_chosen_codings_into_a_new_code(study, interview, codes, alice, bob, make_coding):
    keep = make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    move = make_coding(interview, codes["inhibitor"], bob, "the targets did not help")
    target, moved = tree.split_code(codes["inhibitor"], alice, [move.pk], new_name="Targets")
    assert moved == 1
    assert target.path == "Targets"
    assert list(target.codings.all()) == [move]
    assert list(codes["inhibitor"].codings.all()) == [keep]
    kinds = list(CodebookChange.objects.values_list("kind", flat=True))
    assert kinds.count(ChangeKind.SPLIT) == 2 and ChangeKind.ADD in kinds


def test_it_splits_into_an_existing_code(study, interview, codes, alice, bob, make_coding):
    move = make_coding(interview, codes["inhibitor"], bob, "the targets did not help")
    tree.split_code(codes["inhibitor"], alice, [move.pk], target=codes["sensemaking"])
    move.refresh_from_db()
    assert move.code == codes["sensemaking"]


def test_it_refuses_to_split_codings_of_another_code(
    study, interview, codes, alice, bob, make_coding
):
    other = make_coding(interview, codes["sensemaking"], bob, "the targets did not help")
    with pytest.raises(tree.TreeError):
        tree.split_code(codes["inhibitor"], alice, [other.pk], new_name="Targets")
    assert not Code.objects.filter(name="Targets").exists()


def test_it_refuses_to_delete_a_code_with_codings(study, interview, codes, alice, bob, make_coding):
    make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    with pytest.raises(Exception, match="has 1 coding"):
        tree.delete_code(codes["inhibitor"], alice)
    assert Code.objects.filter(pk=codes["inhibitor"].pk).exists()
    assert not CodebookChange.objects.filter(kind=ChangeKind.DELETE).exists()


def test_it_deletes_an_unused_code_and_remembers_it(study, codes, alice):
    tree.delete_code(codes["inhibitor"], alice)
    change = CodebookChange.objects.get(kind=ChangeKind.DELETE)
    assert change.code is None
    assert change.code_path == "Inhibitor"
    assert change.before["colour"] == "#f38ba0"


def test_merging_more_duplicates_costs_no_more_queries(study, interview, alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def merge_queries(pairs: int) -> int:
        code_a = tree.add_code(study, alice, f"Learning A{pairs}")
        code_b = tree.add_code(study, alice, f"Learning B{pairs}")
        settlement = Settlement.objects.create(
            study=study,
            interview=interview,
            code=code_b,
            start=0,
            end=5,
            unit="sentence",
            choice="both",
            settled_by=alice,
        )
        for start in range(pairs):
            for code in (code_a, code_b):
                coding = Coding.objects.create(
                    interview=interview,
                    code=code,
                    coder=bob,
                    start=start,
                    end=start + 5,
                    quote=interview.text[start : start + 5],
                )
            settlement.consensus_codings.add(coding)  # the one in code_b, a duplicate
        with CaptureQueriesContext(connection) as queries:
            counts = tree.merge_codes(code_b, code_a, alice)
        assert counts.duplicates == pairs
        assert Coding.objects.filter(code=code_a).count() == pairs
        # Each duplicate's settlement now links its twin.
        assert settlement.consensus_codings.count() == pairs
        return len(queries)

    assert merge_queries(3) == merge_queries(30)
