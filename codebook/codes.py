"""Adding codes from the workbench: the role check, then the codebook's own ``add_code``."""

from django.core.exceptions import PermissionDenied, ValidationError

from codebook import tree
from codebook.models import Code
from interviews.models import Role, Study

# Keys the workbench keeps for itself; a code cannot take them as its shortcut.
RESERVED_SHORTCUTS = frozenset("jkieJKIE[]")


def add_code(study: Study, user, name: str, parent: Code | None = None, **entry) -> Code:
    """Create a code (or a sub-code of ``parent``) if the user's role in the study allows it.

    Raises PermissionDenied when the role may not add codes, ValidationError with a message
    for the user when the name is empty or taken, or the parent is elsewhere. The code is
    made by ``codebook.tree.add_code``, which also records it in the codebook's history.
    """
    role = study.role_of(user)
    if role is None or not Role(role).can_add_codes(study):
        raise PermissionDenied("Your role in this study does not allow adding codes.")
    shortcut = entry.get("shortcut", "")
    if shortcut and shortcut in RESERVED_SHORTCUTS:
        raise ValidationError(f"“{shortcut}” is a workbench key and cannot be a shortcut.")
    if not " ".join(name.split()):
        raise ValidationError("A code needs a name.")
    if parent is not None and "colour" not in entry:
        entry["colour"] = parent.colour
    return tree.add_code(study, user, name, parent, **entry)
