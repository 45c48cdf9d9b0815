"""The codebook's memory: every change recorded, and named frozen versions of the whole tree."""

from typing import Any

from django.db import transaction

from codebook.models import ChangeKind, Code, CodebookChange, CodebookVersion
from codebook.snapshots import ENTRY_FIELDS, build_paths, order_tree
from interviews.models import Study


def entry_of(code: Code) -> dict[str, Any]:
    """Return the code's structured entry as plain JSON-able values."""
    return {field: getattr(code, field) for field in ENTRY_FIELDS}


def record_change(
    study: Study,
    user,
    kind: ChangeKind | str,
    code: Code | None = None,
    path: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> CodebookChange:
    """Record one change to the codebook; call it inside the change's own transaction."""
    return CodebookChange.objects.create(
        study=study,
        code=code if code is not None and code.pk else None,
        code_path=path or (code.path if code is not None else ""),
        user=user if user is not None and user.is_authenticated else None,
        kind=kind,
        summary=summary[:500],
        before=before,
        after=after,
    )


def code_paths(study: Study) -> dict[int, str]:
    """Return every code's full path in one query."""
    rows = Code.objects.filter(study=study).values_list("pk", "name", "parent_id")
    return build_paths({pk: (name, parent_id) for pk, name, parent_id in rows})


def snapshot_codebook(study: Study) -> list[dict[str, Any]]:
    """Return the whole codebook in tree order, one dict per code (one query)."""
    codes = list(Code.objects.filter(study=study))
    paths = build_paths({code.pk: (code.name, code.parent_id) for code in codes})
    snapshot = []
    for code, depth in order_tree(codes):
        snapshot.append(
            {
                "id": code.pk,
                "path": paths[code.pk],
                "parent_path": paths[code.parent_id] if code.parent_id else "",
                "depth": depth,
                "position": code.position,
                **entry_of(code),
            }
        )
    return snapshot


def freeze_version(study: Study, user, name: str) -> CodebookVersion:
    """Store a named snapshot of the codebook as it is now."""
    with transaction.atomic():
        return CodebookVersion.objects.create(
            study=study, name=name, created_by=user, snapshot=snapshot_codebook(study)
        )


def changes_as_shown(changes, *, blind: bool) -> list[CodebookChange]:
    """Prepare changes for the timeline: ``before_rows`` and ``after_rows`` as readable pairs.

    A merge's "before" holds the source code's whole entry; it is shown as "source path",
    "source definition" and so on. ``blind``: the viewer is a coder kept blind, and merges
    and splits lose their coding counts, which are every coder's (nothing is saved).
    """
    shown = list(changes)
    for change in shown:
        before, after = change.before or {}, change.after or {}
        if blind and change.kind in (ChangeKind.MERGE, ChangeKind.SPLIT):
            before, after = _uncounted(before), _uncounted(after)
            change.summary = _uncounted_summary(change.kind, change.code_path, before, after)
        change.before_rows = list(_readable(before))
        change.after_rows = list(_readable(after))
    return shown


_COUNT_KEYS = ("codings", "duplicates")


def _uncounted(values: dict) -> dict:
    return {key: value for key, value in values.items() if key not in _COUNT_KEYS}


def _uncounted_summary(kind: str, path: str, before: dict, after: dict) -> str:
    if kind == ChangeKind.MERGE:
        source = before.get("source", {}).get("path", path)
        return f"“{source}” merged into “{after.get('target', path)}”."
    moved = before or after
    return f"Codings moved from “{moved.get('from')}” to “{moved.get('to')}”."


def _readable(values: dict, prefix: str = ""):
    for key, value in values.items():
        if isinstance(value, dict):
            yield from _readable(value, f"{prefix}{key} ")
        else:
            yield f"{prefix}{key}", value
