"""Correct a transcript's text: keep the old version, re-derive turns, tell codebook."""

from django.db import transaction

from interviews.importing.redetect import StoredTurn, redetect_turns
from interviews.models import Interview, InterviewRevision, Turn
from interviews.signals import transcript_corrected
from interviews.text import normalise_text


class StaleRevision(Exception):
    """Someone else saved a correction since this edit began."""


class NothingChanged(ValueError):
    """The submitted text is the stored text."""


def correct_transcript(interview: Interview, new_text: str, author, based_on: int) -> dict:
    """Store ``new_text`` as the interview's text, in one transaction, and return counts.

    ``based_on`` is the revision the editor started from: if the interview has
    moved on since, StaleRevision is raised and nothing is stored. The counts
    are what the ``transcript_corrected`` receivers report (moved, changed, lost...).
    """
    new_text = normalise_text(new_text)
    if not new_text.strip():
        raise ValueError("the transcript cannot be empty")
    with transaction.atomic():
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if locked.revision != based_on:
            raise StaleRevision(
                "someone saved a correction of this transcript while you were editing it"
            )
        old_text = locked.text
        if new_text == old_text:
            raise NothingChanged("the text is unchanged: nothing to save")
        locked.text = new_text
        locked.revision += 1
        locked.save(update_fields=["text", "text_length", "revision", "updated"])
        InterviewRevision.objects.create(
            interview=locked,
            number=locked.revision,
            author=author,
            old_text=old_text,
            new_text=new_text,
        )
        old_turns = [
            StoredTurn(*row) for row in locked.turns.values_list("speaker", "speaker_role", "start")
        ]
        locked.turns.all().delete()
        Turn.objects.bulk_create(
            Turn(
                interview=locked,
                speaker=turn.speaker,
                speaker_role=turn.role,
                start=turn.start,
                end=turn.end,
                timestamp=turn.timestamp,
            )
            for turn in redetect_turns(old_text, old_turns, new_text)
        )
        counts: dict[str, int] = {}
        for _receiver, response in transcript_corrected.send(
            sender=Interview, interview=locked, old_text=old_text, new_text=new_text
        ):
            if isinstance(response, dict):
                for key, value in response.items():
                    counts[key] = counts.get(key, 0) + value
    interview.text, interview.revision = locked.text, locked.revision
    return counts
