"""Bring imported codebook entries into a study, merging by path, after a preview."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from codebook.exchange.codebook_csv import read_codebook_csv
from codebook.exchange.qdc import read_qdc
from codebook.history import code_paths, entry_of, record_change
from codebook.models import ChangeKind, Code
from codebook.snapshots import ENTRY_FIELDS
from codebook.tree import TreeError, normalise_colour, normalise_name
from interviews.models import Study


@dataclass
class ImportPlan:
    rows: list[dict[str, Any]] = field(default_factory=list)  # path, status, changed
    problems: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row["status"] == status)


def read_codebook_file(filename: str, text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Return (entries, warnings) of a CSV or .qdc file's text; raise CodebookFileError."""
    if filename.lower().endswith(".qdc") or text.lstrip().startswith("<"):
        return read_qdc(text.encode("utf-8"))
    return read_codebook_csv(text)


def _clean(entry: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: entry[name] for name in ENTRY_FIELDS}
    cleaned["name"] = normalise_name(cleaned["name"])
    cleaned["colour"] = normalise_colour(cleaned["colour"])
    cleaned["indicator_terms"] = "\n".join(
        line.strip() for line in str(cleaned["indicator_terms"]).splitlines() if line.strip()
    )
    return cleaned


def plan_import(study: Study, entries: list[dict[str, Any]]) -> ImportPlan:
    """Say what importing the entries would add or change, and why it cannot, if it cannot."""
    plan = ImportPlan()
    codes = {code.pk: code for code in Code.objects.filter(study=study)}
    existing = {path.casefold(): codes[pk] for pk, path in code_paths(study).items()}
    shortcuts = {code.shortcut: code.pk for code in codes.values() if code.shortcut}
    used_codes = set(
        Code.objects.filter(study=study, codings__isnull=False).values_list("pk", flat=True)
    )
    for entry in entries:
        try:
            cleaned = _clean(entry)
        except TreeError as error:
            plan.problems.append(f"“{entry['path']}”: {error.message}")
            continue
        if len(cleaned["shortcut"]) > 1:
            plan.problems.append(f"“{entry['path']}”: a shortcut is a single key.")
        code = existing.get(entry["path"].casefold())
        key = code.pk if code else entry["path"].casefold()
        if cleaned["shortcut"]:
            holder = shortcuts.get(cleaned["shortcut"])
            if holder is not None and holder != key:
                plan.problems.append(
                    f"“{entry['path']}”: the shortcut “{cleaned['shortcut']}” is already used."
                )
            shortcuts[cleaned["shortcut"]] = key
        if code is None:
            plan.rows.append({"path": entry["path"], "status": "added", "changed": []})
            continue
        changed = [name for name in ENTRY_FIELDS if getattr(code, name) != cleaned[name]]
        if cleaned["grouping_only"] and not code.grouping_only and code.pk in used_codes:
            plan.problems.append(
                f"“{entry['path']}” has codings here and cannot become grouping-only."
            )
        plan.rows.append(
            {"path": entry["path"], "status": "changed" if changed else "same", "changed": changed}
        )
    return plan


def apply_import(study: Study, user, entries: list[dict[str, Any]], source: str) -> ImportPlan:
    """Add and update codes from the entries in one transaction; raise TreeError if refused."""
    with transaction.atomic():
        plan = plan_import(study, entries)
        if plan.problems:
            raise TreeError(plan.problems)
        codes = {code.pk: code for code in Code.objects.filter(study=study)}
        by_path = {path.casefold(): codes[pk] for pk, path in code_paths(study).items()}
        changing = [
            by_path[e["path"].casefold()] for e in entries if e["path"].casefold() in by_path
        ]
        # Clear shortcuts first, so two codes may swap theirs without tripping the constraint.
        Code.objects.filter(pk__in=[code.pk for code in changing]).update(shortcut="")
        next_position: dict[int | None, int] = {}
        for entry in entries:
            cleaned = _clean(entry)
            code = by_path.get(entry["path"].casefold())
            if code is None:
                parent = by_path[entry["parent_path"].casefold()] if entry["parent_path"] else None
                parent_id = parent.pk if parent else None
                if parent_id not in next_position:
                    next_position[parent_id] = Code.objects.filter(
                        study=study, parent=parent
                    ).count()
                position = next_position[parent_id]
                next_position[parent_id] += 1
                code = Code.objects.create(study=study, parent=parent, position=position, **cleaned)
                by_path[entry["path"].casefold()] = code
                record_change(
                    study,
                    user,
                    ChangeKind.IMPORT,
                    code,
                    entry["path"],
                    None,
                    entry_of(code),
                    f"Added from {source}.",
                )
                continue
            before = entry_of(code)
            for name, value in cleaned.items():
                setattr(code, name, value)
            after = entry_of(code)
            if after != before:
                code.version += 1
                record_change(
                    study,
                    user,
                    ChangeKind.IMPORT,
                    code,
                    entry["path"],
                    {k: v for k, v in before.items() if after[k] != v},
                    {k: v for k, v in after.items() if before[k] != v},
                    f"Changed by {source}.",
                )
            code.save()
    return plan
