"""History of the codebook and frozen versions compared side by side."""

import pytest
from django.test import Client
from django.urls import reverse

from codebook import tree
from codebook.history import freeze_version
from codebook.models import ChangeKind, CodebookChange
from codebook.snapshots import compare_snapshots


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_records_every_kind_of_change(study, interview, codes, alice, bob, make_coding):
    coding = make_coding(interview, codes["inhibitor"], bob, "The budget was tight")
    enabler = tree.add_code(study, alice, "Enabler")
    tree.edit_code(enabler, alice, 1, definition="What helps.")
    tree.move_code(enabler, alice, codes["lenses"])
    tree.reorder_code(enabler, alice, -1)
    tree.split_code(codes["inhibitor"], alice, [coding.pk], target=codes["sensemaking"])
    tree.merge_codes(codes["identity"], codes["sensemaking"], alice)
    tree.delete_code(codes["inhibitor"], alice)
    kinds = set(CodebookChange.objects.values_list("kind", flat=True))
    expected = {"add", "edit", "move", "reorder", "split", "merge", "delete"}
    assert kinds == expected
    assert all(change.user == alice for change in CodebookChange.objects.all())


def test_it_shows_the_timeline_of_the_codebook_and_of_a_code(study, codes, sam):
    tree.edit_code(codes["inhibitor"], sam, 1, definition="Holds <change> back")
    client = _client(sam)
    html = client.get(reverse("codebook-history", args=[study.slug])).content.decode()
    assert "Edited" in html and "Inhibitor" in html and "Holds &lt;change&gt; back" in html
    code_url = reverse("codebook-code", args=[study.slug, codes["inhibitor"].pk])
    assert "Holds &lt;change&gt; back" in client.get(code_url).content.decode()


def test_it_keeps_a_deleted_codes_history(study, codes, sam):
    tree.delete_code(codes["inhibitor"], sam)
    html = _client(sam).get(reverse("codebook-history", args=[study.slug])).content.decode()
    assert "Deleted" in html and "Inhibitor" in html


def test_a_supervisor_freezes_a_named_version(study, codes, sam):
    url = reverse("codebook-versions", args=[study.slug])
    response = _client(sam).post(url, {"name": "v2, after pilot coding"})
    assert response.status_code == 302
    version = study.codebook_versions.get()
    assert version.created_by == sam
    assert "Theoretical lenses/Sensemaking" in [e["path"] for e in version.snapshot]
    again = _client(sam).post(url, {"name": "V2, after pilot coding"})
    assert "already has that name" in again.content.decode()


def test_it_compares_two_versions(study, codes, alice):
    v1 = freeze_version(study, alice, "v1")
    tree.edit_code(codes["inhibitor"], alice, 1, definition="Holds back")
    tree.move_code(codes["identity"], alice, None)
    tree.add_code(study, alice, "Enabler")
    tree.delete_code(codes["sensemaking"], alice)
    v2 = freeze_version(study, alice, "v2")
    rows = compare_snapshots(v1.snapshot, v2.snapshot)
    by_status = {}
    for row in rows:
        entry = row["new"] or row["old"]
        by_status.setdefault(row["status"], []).append(entry["name"])
    assert by_status["added"] == ["Enabler"]
    assert by_status["removed"] == ["Sensemaking"]
    assert sorted(by_status["changed"]) == ["Identity work", "Inhibitor"]
    identity = next(r for r in rows if r["new"] and r["new"]["name"] == "Identity work")
    assert identity["changed"] == ["path"]


def test_the_compare_page_shows_both_sides(study, codes, alice):
    v1 = freeze_version(study, alice, "v1")
    tree.edit_code(codes["inhibitor"], alice, 1, definition="Holds back")
    url = reverse("codebook-compare", args=[study.slug]) + f"?older={v1.pk}&newer=current"
    html = _client(alice).get(url).content.decode()
    assert "1 changed" in html and "Holds back" in html and "v1" in html


def test_compare_of_an_unknown_version_is_not_found(study, alice):
    url = reverse("codebook-compare", args=[study.slug]) + "?older=999"
    assert _client(alice).get(url).status_code == 404


@pytest.mark.parametrize("side", ["older", "newer"])
def test_compare_of_a_version_named_by_a_superscript_digit_is_not_found(study, alice, side):
    """A "²" passes str.isdigit(), which int() refuses: it was a server error."""
    url = reverse("codebook-compare", args=[study.slug]) + f"?older=current&{side}=²"
    assert _client(alice).get(url).status_code == 404


def test_history_counts_kinds_once_per_merge_side(study, codes, alice):
    tree.merge_codes(codes["identity"], codes["sensemaking"], alice)
    merges = CodebookChange.objects.filter(kind=ChangeKind.MERGE)
    assert {m.code_path for m in merges} == {
        "Theoretical lenses/Identity work",
        "Theoretical lenses/Sensemaking",
    }


def test_a_blind_coder_reads_merges_and_splits_without_the_other_coders_counts(
    study, interview, codes, alice, bob, carol, sam, make_coding
):
    assert study.blind_coding
    make_coding(interview, codes["identity"], carol, "I had to learn to let go.")
    make_coding(interview, codes["identity"], carol, "My job became opening doors.")
    moved = make_coding(interview, codes["inhibitor"], carol, "The budget was tight")
    tree.split_code(codes["inhibitor"], alice, [moved.pk], target=codes["sensemaking"])
    tree.merge_codes(codes["identity"], codes["sensemaking"], alice)
    pages = [
        reverse("codebook-history", args=[study.slug]),
        reverse("codebook-code", args=[study.slug, codes["sensemaking"].pk]),
    ]
    for url in pages:
        coder_sees = _client(bob).get(url).content.decode()
        assert "merged into “Theoretical lenses/Sensemaking”." in coder_sees
        assert "Codings moved from" in coder_sees
        assert "2 codings" not in coder_sees and "codings: 2" not in coder_sees
        assert "1 codings" not in coder_sees and "codings: 1" not in coder_sees
        supervisor_sees = _client(sam).get(url).content.decode()
        assert "2 codings moved" in supervisor_sees


def test_a_merge_shows_the_merged_codes_entry_in_words(study, codes, alice):
    tree.edit_code(codes["identity"], alice, 1, definition="Who one becomes.")
    tree.merge_codes(codes["identity"], codes["sensemaking"], alice)
    html = _client(alice).get(reverse("codebook-history", args=[study.slug])).content.decode()
    assert "source definition: Who one becomes." in html
    assert "{&#x27;path&#x27;" not in html
