"""Fit a backup's participant attributes to one name per participant whatever its case (no ORM).

Backups written before migration interviews.0005 may hold "Age" and "age" for one
participant, which the database now refuses. A restore merges them as that migration
merged the rows of existing databases: one row, the name spelled as first stored in
the study (every participant's attribute takes that spelling, so it stays one
column), the value stored last (the later upload was meant to replace it). Names are
compared with ``str.casefold``, as coprod compares them (``interviews.text.named_alike``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SHOWN_PARTICIPANTS = 5


@dataclass
class NameMerge:
    """One attribute name the restore spelled alike: the spelling kept, every one met."""

    name: str
    spellings: list[str]
    participants: list = field(default_factory=list)  # those who had it twice, by file number

    def describe(self, label_of: Mapping) -> str:
        """Say what was merged, naming participants by ``label_of[number]``."""
        quoted = [f"“{spelling}”" for spelling in self.spellings]
        said = (
            f"{', '.join(quoted[:-1])} and {quoted[-1]} are one attribute now, “{self.name}”: "
            "names are compared without regard to case."
            if len(quoted) > 1
            else f"The attribute “{self.name}” was given twice."
        )
        if self.participants:
            labels = [str(label_of.get(number, number)) for number in self.participants]
            shown = ", ".join(labels[:SHOWN_PARTICIPANTS])
            if len(labels) > SHOWN_PARTICIPANTS:
                shown += f" and {len(labels) - SHOWN_PARTICIPANTS} more"
            said += f" {shown} had both; the value stored last was kept."
        return said


def merge_names_differing_in_case(
    rows: Sequence[Sequence], participant_at: int, name_at: int, value_at: int
) -> tuple[list[list], list[int], list[NameMerge]]:
    """Merge attribute rows, in stored order, whose names differ only in case.

    Returns the rows to restore, for each given row the index of the row it became,
    and what was merged or spelled anew. A name that is not text raises TypeError.
    """
    first_spelling: dict[str, str] = {}
    spellings: dict[str, list[str]] = {}
    twice: dict[str, list] = {}
    kept_at: dict[tuple, int] = {}
    merged: list[list] = []
    became: list[int] = []
    for row in rows:
        name = row[name_at]
        if not isinstance(name, str):
            raise TypeError(f"an attribute name is not text: {name!r}")
        key = name.casefold()
        first = first_spelling.setdefault(key, name)
        met = spellings.setdefault(key, [])
        if name not in met:
            met.append(name)
        participant = row[participant_at]
        at = kept_at.get((participant, key))
        if at is None:
            at = kept_at[participant, key] = len(merged)
            merged.append(list(row))
            merged[at][name_at] = first
        else:
            merged[at][value_at] = row[value_at]
            had_it_twice = twice.setdefault(key, [])
            if participant not in had_it_twice:
                had_it_twice.append(participant)
        became.append(at)
    merges = [
        NameMerge(first_spelling[key], met, twice.get(key, []))
        for key, met in spellings.items()
        if len(met) > 1 or key in twice
    ]
    return merged, became, merges
