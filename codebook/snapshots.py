"""Pure helpers for codebook snapshots: tree order, paths and the comparison of two versions.

A snapshot is a list of dicts, one per code, in tree order, each with ``id``, ``path``,
``parent_path``, ``position`` and the fields of ``ENTRY_FIELDS``. No ORM here.
"""

from collections.abc import Iterable, Mapping
from typing import Any

ENTRY_FIELDS = (
    "name",
    "colour",
    "grouping_only",
    "shortcut",
    "definition",
    "inclusion",
    "exclusion",
    "example",
    "counter_example",
    "indicator_terms",
    "notes",
)

FIELD_LABELS = {
    "name": "Name",
    "path": "Place in the tree",
    "colour": "Colour",
    "grouping_only": "Grouping only",
    "shortcut": "Shortcut",
    "definition": "Definition",
    "inclusion": "Inclusion criteria",
    "exclusion": "Exclusion criteria",
    "example": "Typical example",
    "counter_example": "Counter-example",
    "indicator_terms": "Indicator terms",
    "notes": "Notes",
}


def order_tree(nodes: Iterable[Any]) -> list[tuple[Any, int]]:
    """Return ``(node, depth)`` in depth-first tree order, siblings by (position, name).

    ``nodes`` need ``pk``, ``parent_id``, ``position`` and ``name`` attributes.
    """
    children: dict[Any, list[Any]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda node: (node.position, node.name.casefold(), node.pk))
    ordered: list[tuple[Any, int]] = []

    def walk(parent_id: Any, depth: int) -> None:
        for node in children.get(parent_id, []):
            ordered.append((node, depth))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return ordered


def build_paths(names_and_parents: Mapping[Any, tuple[str, Any]]) -> dict[Any, str]:
    """Return the full path of every id, from ``{id: (name, parent_id)}``."""
    paths: dict[Any, str] = {}

    def path_of(key: Any) -> str:
        if key not in paths:
            name, parent = names_and_parents[key]
            paths[key] = name if parent is None else f"{path_of(parent)}/{name}"
        return paths[key]

    for key in names_and_parents:
        path_of(key)
    return paths


def compare_snapshots(
    older: list[dict[str, Any]], newer: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Pair the codes of two snapshots and list what changed, in the newer tree's order.

    Codes are paired by id (so a renamed or moved code stays one row), then by path for
    codes that came from elsewhere (an import into another study). Each row has
    ``status`` (added, removed, changed, unchanged), ``old``, ``new`` and ``changed``
    (the field names that differ, ``path`` included).
    """
    old_by_id = {entry.get("id"): entry for entry in older if entry.get("id") is not None}
    old_by_path = {entry["path"]: entry for entry in older}
    used: set[str] = set()
    rows = []
    for new in newer:
        old = old_by_id.get(new.get("id"))
        if old is None or old["path"] in used:
            old = old_by_path.get(new["path"])
        if old is None or old["path"] in used:
            rows.append({"status": "added", "old": None, "new": new, "changed": []})
            continue
        used.add(old["path"])
        changed = [field for field in ("path", *ENTRY_FIELDS) if old.get(field) != new.get(field)]
        status = "changed" if changed else "unchanged"
        rows.append({"status": status, "old": old, "new": new, "changed": changed})
    for old in older:
        if old["path"] not in used:
            rows.append({"status": "removed", "old": old, "new": None, "changed": []})
    return rows


def count_statuses(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Return how many rows of a comparison are added, removed, changed and unchanged."""
    counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
    for row in rows:
        counts[row["status"]] += 1
    return counts
