"""Check a list of imported codebook entries before anything touches the database. No ORM."""

from typing import Any

from codebook.snapshots import ENTRY_FIELDS

DEFAULT_COLOUR = "#f2c94c"


class CodebookFileError(ValueError):
    """A codebook file that cannot be imported, with every reason in words."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(" ".join(self.problems))


def blank_entry(path: str, parent_path: str, name: str) -> dict[str, Any]:
    """Return an entry with every field at its default."""
    entry: dict[str, Any] = {field: "" for field in ENTRY_FIELDS}
    entry.update(
        path=path, parent_path=parent_path, name=name, grouping_only=False, colour=DEFAULT_COLOUR
    )
    return entry


def find_cycle(parents: dict[str, str]) -> list[str] | None:
    """Return a cycle in ``{path: parent_path}`` as a list of paths, or None."""
    for start in parents:
        seen: list[str] = []
        node = start
        while node in parents and node not in seen:
            seen.append(node)
            node = parents[node]
        if node in seen:
            return [*seen[seen.index(node) :], node]
    return None


def order_entries(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check the tree the entries describe and return them parents first, else raise.

    Refuses duplicate paths, cycles of parent paths, a path that disagrees with its
    name and parent path, and a parent path that no entry has.
    """
    problems = []
    by_path: dict[str, dict[str, Any]] = {}
    for entry in entries:
        key = entry["path"].casefold()
        if key in by_path:
            problems.append(f"The path “{entry['path']}” appears twice.")
        by_path[key] = entry
    cycle = find_cycle(
        {e["path"].casefold(): e["parent_path"].casefold() for e in entries if e["parent_path"]}
    )
    if cycle:
        shown = " → ".join(by_path[key]["path"] if key in by_path else key for key in cycle)
        raise CodebookFileError(f"The parent paths form a cycle: {shown}.")
    for entry in entries:
        expected = (
            f"{entry['parent_path']}/{entry['name']}" if entry["parent_path"] else entry["name"]
        )
        if expected != entry["path"]:
            problems.append(
                f"The path “{entry['path']}” does not match its name “{entry['name']}” "
                f"and parent path “{entry['parent_path']}”."
            )
        elif entry["parent_path"] and entry["parent_path"].casefold() not in by_path:
            problems.append(
                f"The parent path “{entry['parent_path']}” of “{entry['path']}” is not in the file."
            )
    if problems:
        raise CodebookFileError(problems)
    return sorted(entries, key=lambda entry: entry["path"].count("/"))
