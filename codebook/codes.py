"""Adding codes to a study's codebook (the one place that creates them)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from codebook.models import Code
from interviews.models import Role, Study

# Keys the workbench keeps for itself; a code cannot take them as its shortcut.
RESERVED_SHORTCUTS = frozenset("jkieJKIE[]")


def add_code(study: Study, user, name: str, parent: Code | None = None, **entry) -> Code:
    """Create a code (or a sub-code of ``parent``) after checking the user's role.

    Raises PermissionDenied when the role may not add codes, ValidationError with a
    message for the user when the name is empty, taken, or the parent is elsewhere.
    """
    role = study.role_of(user)
    if role is None or not Role(role).can_add_codes(study):
        raise PermissionDenied("Your role in this study does not allow adding codes.")
    if parent is not None and parent.study_id != study.pk:
        raise ValidationError("The parent code belongs to another study.")
    shortcut = entry.get("shortcut", "")
    if shortcut and shortcut in RESERVED_SHORTCUTS:
        raise ValidationError(f"“{shortcut}” is a workbench key and cannot be a shortcut.")
    code = Code(study=study, parent=parent, name=name, **entry)
    if parent is not None:
        code.colour = entry.get("colour", parent.colour)
        code.position = parent.children.count()
    try:
        code.full_clean()
        with transaction.atomic():
            code.save()
    except ValidationError as error:
        raise ValidationError(_first_message(error)) from error
    except IntegrityError as error:
        raise ValidationError(f"A code named “{code.name}” already exists there.") from error
    return code


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        for field, messages in error.message_dict.items():
            if field == "__all__" or field == "name":
                if "already exists" in messages[0] or "constraint" in messages[0].lower():
                    return "A code with that name already exists there."
                return messages[0]
            return f"{field}: {messages[0]}"
    return error.messages[0]
