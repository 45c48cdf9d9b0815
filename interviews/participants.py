"""Create or update participants' attributes from parsed CSV rows, in one transaction."""

from django.db import transaction

from interviews.importing.attributes import Row
from interviews.models import Participant, ParticipantAttribute, Study


def store_attributes(study: Study, rows: list[Row]) -> tuple[int, int]:
    """Create missing participants and set their attributes; return (created, updated).

    A participant is matched by label without regard to case. Attributes not in
    the file are left as they were; a value in the file replaces the stored one.
    """
    created = updated = 0
    with transaction.atomic():
        existing = {p.label.casefold(): p for p in study.participants.all()}
        for label, values in rows:
            participant = existing.get(label.casefold())
            if participant is None:
                participant = Participant.objects.create(study=study, label=label)
                existing[label.casefold()] = participant
                created += 1
            else:
                updated += 1
            for name, value in values.items():
                ParticipantAttribute.objects.update_or_create(
                    participant=participant, name=name, defaults={"value": value}
                )
    return created, updated
