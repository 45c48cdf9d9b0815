"""Reshape a study's codebook: add, edit, move, reorder, merge, split and delete codes.

Each operation is one transaction and records itself in the codebook's history.
Failures raise ``TreeError`` (a ValidationError) with a message meant for the user.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from codebook.history import entry_of, record_change
from codebook.models import (
    AnchorStatus,
    ChangeKind,
    Code,
    Coding,
    Memo,
    Origin,
    Settlement,
    SettlementCoding,
)
from codebook.snapshots import ENTRY_FIELDS
from interviews.models import Study
from interviews.text import named_alike

COLOUR = re.compile(r"^#[0-9a-f]{6}$")


class TreeError(ValidationError):
    """A change to the codebook that cannot be made, with the reason in words."""


class EditConflict(Exception):
    """Someone else saved the code since the form was opened."""

    def __init__(self, current: Code):
        super().__init__(f"“{current.name}” was changed by someone else in the meantime.")
        self.current = current


@dataclass
class MergeCounts:
    codings: int  # codings of the source code that will move
    duplicates: int  # of those, ones the same coder already made with the target code
    memos: int  # memos attached to the source code
    children: int  # sub-codes that move under the target


def normalise_name(name: str) -> str:
    """Trim and collapse white space; refuse empty names and the path separator."""
    name = " ".join((name or "").split())
    if not name:
        raise TreeError("A code needs a name.")
    if "/" in name:
        raise TreeError("A code name cannot contain “/” (it separates paths).")
    if len(name) > 120:
        raise TreeError("A code name has at most 120 characters.")
    return name


def normalise_colour(colour: str) -> str:
    colour = (colour or "").strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", colour):
        colour = "#" + "".join(letter * 2 for letter in colour[1:])
    if not COLOUR.match(colour):
        raise TreeError(f"“{colour}” is not a colour: write it as #rrggbb.")
    return colour


def _check_name_free(study: Study, parent: Code | None, name: str, exclude: int | None) -> None:
    siblings = Code.objects.filter(study=study, parent=parent).exclude(pk=exclude)
    if named_alike(siblings.values_list("name", flat=True), name):
        where = f"under “{parent.name}”" if parent else "at the top of the codebook"
        raise TreeError(f"There is already a code “{name}” {where}.")


def _check_shortcut_free(study: Study, shortcut: str, exclude: int | None) -> None:
    if shortcut and Code.objects.filter(study=study, shortcut=shortcut).exclude(pk=exclude):
        raise TreeError(f"The shortcut “{shortcut}” is already used by another code.")


def _clean_entry(entry: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: value for key, value in entry.items() if key in ENTRY_FIELDS}
    unknown = set(entry) - set(ENTRY_FIELDS)
    if unknown:
        raise TreeError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if "name" in cleaned:
        cleaned["name"] = normalise_name(cleaned["name"])
    if "colour" in cleaned:
        cleaned["colour"] = normalise_colour(cleaned["colour"])
    if "shortcut" in cleaned:
        cleaned["shortcut"] = (cleaned["shortcut"] or "").strip()
        if len(cleaned["shortcut"]) > 1:
            raise TreeError("A shortcut is a single key.")
    for field in ("definition", "inclusion", "exclusion", "example", "counter_example", "notes"):
        if field in cleaned:
            # Browsers post textareas with "\r\n"; files are read with "\n". One form of
            # line end keeps an exported and re-imported entry equal to itself.
            text = (cleaned[field] or "").replace("\r\n", "\n").replace("\r", "\n")
            cleaned[field] = text.strip()
    if "indicator_terms" in cleaned:
        terms = [line.strip() for line in (cleaned["indicator_terms"] or "").splitlines()]
        cleaned["indicator_terms"] = "\n".join(term for term in terms if term)
    return cleaned


def _renumber(study: Study, parent_id: int | None, moving: Code | None = None, at: int = -1):
    """Give the siblings under ``parent_id`` positions 0..n-1, placing ``moving`` at ``at``."""
    siblings = list(
        Code.objects.filter(study=study, parent_id=parent_id).order_by("position", Lower("name"))
    )
    if moving is not None:
        siblings = [code for code in siblings if code.pk != moving.pk]
        at = len(siblings) if at < 0 or at > len(siblings) else at
        siblings.insert(at, moving)
    changed = []
    for index, code in enumerate(siblings):
        if code.position != index:
            code.position = index
            changed.append(code)
    Code.objects.bulk_update(changed, ["position"])


def add_code(study: Study, user, name: str, parent: Code | None = None, **entry) -> Code:
    """Create a code at the end of its siblings."""
    entry = _clean_entry({"name": name, **entry})
    if parent is not None and parent.study_id != study.pk:
        raise TreeError("The parent code belongs to another study.")
    with transaction.atomic():
        _check_name_free(study, parent, entry["name"], None)
        _check_shortcut_free(study, entry.get("shortcut", ""), None)
        position = Code.objects.filter(study=study, parent=parent).count()
        code = Code.objects.create(study=study, parent=parent, position=position, **entry)
        record_change(study, user, ChangeKind.ADD, code, after=entry_of(code))
    return code


def edit_code(code: Code, user, expected_version: int, **changes) -> Code:
    """Save the entry of a code, refusing if its version moved on since the form was opened."""
    changes = _clean_entry(changes)
    with transaction.atomic():
        current = Code.objects.select_for_update().get(pk=code.pk)
        if current.version != expected_version:
            raise EditConflict(current)
        before = entry_of(current)
        if "name" in changes:
            _check_name_free(current.study, current.parent, changes["name"], current.pk)
        _check_shortcut_free(current.study, changes.get("shortcut", ""), current.pk)
        if (
            changes.get("grouping_only")
            and not before["grouping_only"]
            and current.codings.exists()
        ):
            raise TreeError(
                f"“{current.name}” has codings, so it cannot become grouping-only: "
                "move its codings to a sub-code first (split)."
            )
        for field, value in changes.items():
            setattr(current, field, value)
        after = entry_of(current)
        if after == before:
            return current
        current.version += 1
        current.save()
        record_change(
            current.study,
            user,
            ChangeKind.EDIT,
            current,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return current


def move_code(code: Code, user, new_parent: Code | None, position: int = -1) -> Code:
    """Move a code and its subtree under ``new_parent`` (None: top level) at ``position``."""
    study = code.study
    with transaction.atomic():
        code = Code.objects.select_for_update().get(pk=code.pk)
        if new_parent is not None:
            if new_parent.study_id != code.study_id:
                raise TreeError("The new parent belongs to another study.")
            ancestor: Code | None = new_parent
            while ancestor is not None:
                if ancestor.pk == code.pk:
                    raise TreeError(f"“{code.name}” cannot be moved under itself or a sub-code.")
                ancestor = ancestor.parent
        old_parent_id, old_path = code.parent_id, code.path
        new_parent_id = new_parent.pk if new_parent else None
        old_siblings = list(
            Code.objects.filter(study=study, parent_id=old_parent_id)
            .order_by("position", Lower("name"))
            .values_list("pk", flat=True)
        )
        old_index = old_siblings.index(code.pk)
        if new_parent_id == old_parent_id:
            last = len(old_siblings) - 1
            if (last if position < 0 or position > last else position) == old_index:
                return code
        if new_parent_id != old_parent_id:
            _check_name_free(study, new_parent, code.name, code.pk)
            code.parent = new_parent
            code.save(update_fields=["parent", "updated"])
            _renumber(study, old_parent_id)
        _renumber(study, new_parent_id, code, position)
        code.refresh_from_db()
        kind = ChangeKind.MOVE if new_parent_id != old_parent_id else ChangeKind.REORDER
        record_change(
            study,
            user,
            kind,
            code,
            before={"path": old_path, "position": old_index},
            after={"path": code.path, "position": code.position},
        )
    return code


def reorder_code(code: Code, user, offset: int) -> Code:
    """Move a code up (negative) or down (positive) among its siblings."""
    code = Code.objects.select_related("study").get(pk=code.pk)
    siblings = list(
        Code.objects.filter(study=code.study, parent_id=code.parent_id)
        .order_by("position", Lower("name"))
        .values_list("pk", flat=True)
    )
    index = siblings.index(code.pk)
    target = max(0, min(len(siblings) - 1, index + offset))
    if target == index:
        return code
    return move_code(code, user, code.parent, target)


def _subtree_ids(code: Code) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Code.objects.filter(study=code.study).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [code.pk]
    while stack:
        pk = stack.pop()
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def _passage_key(coding: Coding) -> tuple:
    """Return what makes two codings the same to the database's uniqueness constraints.

    A consensus coding belongs to the agreed layer whoever settled it, so the
    settler is not part of its identity; a coder's own coding of the same passage
    is a different coding even when the coder also settled it.
    """
    layer = "consensus" if coding.origin == Origin.CONSENSUS else coding.coder_id
    return (coding.interview_id, layer, coding.start, coding.end)


def _duplicates(codings, target: Code) -> dict[int, Coding]:
    """Map the pk of each coding to the target's identical coding (same layer and passage).

    Only codings on their passage count: lost codings share a placeholder span
    without being the same coding, and the constraints leave them out too.
    """
    keys = {_passage_key(c): c.pk for c in codings if c.anchor_status == AnchorStatus.OK}
    if not keys:
        return {}
    found = {}
    candidates = Coding.objects.filter(
        code=target, anchor_status=AnchorStatus.OK, interview_id__in={key[0] for key in keys}
    ).order_by("pk")
    for other in candidates:
        key = _passage_key(other)
        if key in keys:
            found[keys[key]] = other
    return found


def _check_merge(source: Code, target: Code) -> None:
    if source.study_id != target.study_id:
        raise TreeError("The two codes belong to different studies.")
    if source.pk == target.pk:
        raise TreeError("Choose another code to merge into.")
    if target.pk in _subtree_ids(source):
        raise TreeError(f"“{source.name}” cannot be merged into one of its own sub-codes.")
    if target.grouping_only and source.codings.exists():
        raise TreeError(
            f"“{target.name}” is grouping-only and cannot hold the codings of “{source.name}”."
        )


def preview_merge(source: Code, target: Code) -> MergeCounts:
    """Count what merging ``source`` into ``target`` would move, without changing anything."""
    _check_merge(source, target)
    codings = list(source.codings.all())
    return MergeCounts(
        codings=len(codings),
        duplicates=len(_duplicates(codings, target)),
        memos=source.memos.count(),
        children=source.children.count(),
    )


def _move_codings(codings: list[Coding], target: Code) -> int:
    """Give the codings to ``target``; a duplicate is dropped and its memo joined. Return drops."""
    duplicates = _duplicates(codings, target)
    for coding in codings:
        twin = duplicates.get(coding.pk)
        if twin is not None and coding.memo.strip() and coding.memo.strip() not in twin.memo:
            twin.memo = "\n\n".join(
                part for part in (twin.memo.strip(), coding.memo.strip()) if part
            )
            twin.save(update_fields=["memo", "updated"])
    if duplicates:
        # The settlements that made a consensus coding made its twin too: one query to read
        # the links, one to copy them, one to delete the duplicates (their links go with them).
        links = SettlementCoding.objects.filter(coding_id__in=list(duplicates))
        SettlementCoding.objects.bulk_create(
            [
                SettlementCoding(settlement_id=settlement_id, coding_id=duplicates[coding_id].pk)
                for settlement_id, coding_id in links.values_list("settlement_id", "coding_id")
            ],
            ignore_conflicts=True,  # the twin came from that settlement already
        )
        Coding.objects.filter(pk__in=list(duplicates)).delete()
    Coding.objects.filter(pk__in=[c.pk for c in codings if c.pk not in duplicates]).update(
        code=target
    )
    return len(duplicates)


def merge_codes(source: Code, target: Code, user) -> MergeCounts:
    """Merge ``source`` into ``target``: codings, memos and sub-codes move; ``source`` goes."""
    with transaction.atomic():
        source = Code.objects.select_for_update().get(pk=source.pk)
        target = Code.objects.select_for_update().get(pk=target.pk)
        counts = preview_merge(source, target)
        for child in source.children.all():
            _check_name_free(target.study, target, child.name, None)
        source_path, target_path = source.path, target.path
        before = {"source": {"path": source_path, **entry_of(source)}, "target": target_path}
        _move_codings(list(source.codings.all()), target)
        Memo.objects.filter(code=source).update(code=target)
        Settlement.objects.filter(code=source).update(code=target)
        offset = target.children.count()
        for index, child in enumerate(source.children.order_by("position", Lower("name"))):
            child.parent, child.position = target, offset + index
            child.save(update_fields=["parent", "position", "updated"])
        old_parent_id = source.parent_id
        source.delete()
        _renumber(target.study, old_parent_id)
        summary = (
            f"“{source_path}” merged into “{target_path}”: {counts.codings} codings moved "
            f"({counts.duplicates} duplicates joined), {counts.memos} memos, "
            f"{counts.children} sub-codes."
        )
        after = {"target": target_path, "codings": counts.codings, "duplicates": counts.duplicates}
        record_change(
            target.study, user, ChangeKind.MERGE, None, source_path, before, after, summary
        )
        record_change(
            target.study, user, ChangeKind.MERGE, target, target_path, None, after, summary
        )
    return counts


def split_code(
    source: Code,
    user,
    coding_ids: list[int],
    target: Code | None = None,
    new_name: str = "",
    new_parent: Code | None = None,
) -> tuple[Code, int]:
    """Move the chosen codings of ``source`` to ``target`` or to a new code; return both counts.

    A new code goes under ``new_parent`` (by default the source's parent) with the source's colour.
    """
    with transaction.atomic():
        source = Code.objects.select_for_update().get(pk=source.pk)
        codings = list(source.codings.filter(pk__in=coding_ids))
        if not codings:
            raise TreeError("Choose at least one coding to move.")
        if len(codings) != len(set(coding_ids)):
            raise TreeError("Some of the chosen codings do not belong to this code.")
        if target is None:
            parent = new_parent if new_parent is not None else source.parent
            target = add_code(source.study, user, new_name, parent, colour=source.colour)
        elif target.study_id != source.study_id:
            raise TreeError("The code to move them to belongs to another study.")
        if target.pk == source.pk:
            raise TreeError("Choose another code to move the codings to.")
        if target.grouping_only:
            raise TreeError(f"“{target.name}” is grouping-only and cannot hold codings.")
        duplicates = _move_codings(codings, target)
        summary = (
            f"{len(codings)} codings moved from “{source.path}” to “{target.path}”"
            f" ({duplicates} duplicates joined)."
        )
        change = {"from": source.path, "to": target.path, "codings": len(codings)}
        record_change(source.study, user, ChangeKind.SPLIT, source, "", change, None, summary)
        record_change(source.study, user, ChangeKind.SPLIT, target, "", None, change, summary)
    return target, len(codings)


def delete_code(code: Code, user) -> None:
    """Delete a code that has neither codings nor sub-codes."""
    with transaction.atomic():
        code = Code.objects.select_for_update().get(pk=code.pk)
        path, before, parent_id = code.path, entry_of(code), code.parent_id
        code.delete()  # Code.delete refuses codes in use with a message
        _renumber(code.study, parent_id)
        record_change(code.study, user, ChangeKind.DELETE, None, path, before=before)
