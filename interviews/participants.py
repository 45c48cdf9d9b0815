"""Create or update participants' attributes from parsed CSV rows, in one transaction."""

from django.db import transaction

from interviews.importing.attributes import Limits, Row
from interviews.models import Participant, ParticipantAttribute, Study

# Columns of the participants table that are fields of Participant, not attributes: a
# file's column of that name (any case) fills the field, so the table never shows a
# second "Role" beside the built-in one.
BUILT_IN_COLUMNS = {"role": "role", "organisation": "organisation", "organization": "organisation"}


def _longest(model, field: str) -> int:
    return model._meta.get_field(field).max_length


LIMITS = Limits(
    label=_longest(Participant, "label"),
    name=_longest(ParticipantAttribute, "name"),
    value=_longest(ParticipantAttribute, "value"),
    columns={column: _longest(Participant, f) for column, f in BUILT_IN_COLUMNS.items()},
)


def store_attributes(study: Study, rows: list[Row]) -> tuple[int, int]:
    """Create missing participants and set their attributes; return (created, updated).

    A participant is matched by label, an attribute by name, without regard to case;
    an attribute keeps the spelling its name already has in the study, so that it stays
    one column. Attributes not in the file are left as they were; a value in the file
    replaces the stored one. Columns named after a built-in field fill that field.
    """
    created = updated = 0
    with transaction.atomic():
        existing = {p.label.casefold(): p for p in study.participants.all()}
        spelling: dict[str, str] = {}
        for name in (
            ParticipantAttribute.objects.filter(participant__study=study)
            .order_by("pk")
            .values_list("name", flat=True)
        ):
            spelling.setdefault(name.casefold(), name)
        stored: dict[tuple[int, str], ParticipantAttribute] = {
            (a.participant_id, a.name.casefold()): a
            for a in ParticipantAttribute.objects.filter(participant__study=study)
        }
        for label, values in rows:
            participant = existing.get(label.casefold())
            if participant is None:
                participant = Participant(study=study, label=label)
                existing[label.casefold()] = participant
                created += 1
            else:
                updated += 1
            fields = {
                BUILT_IN_COLUMNS[name.casefold()]: value
                for name, value in values.items()
                if name.casefold() in BUILT_IN_COLUMNS
            }
            for field, value in fields.items():
                setattr(participant, field, value)
            if participant.pk is None:
                participant.save()
            elif fields:
                participant.save(update_fields=list(fields))
            for name, value in values.items():
                key = name.casefold()
                if key in BUILT_IN_COLUMNS:
                    continue
                attribute = stored.get((participant.pk, key))
                if attribute is None:
                    attribute = ParticipantAttribute.objects.create(
                        participant=participant, name=spelling.setdefault(key, name), value=value
                    )
                    stored[participant.pk, key] = attribute
                elif attribute.value != value:
                    attribute.value = value
                    attribute.save(update_fields=["value"])
    return created, updated
