"""Re-anchor what points into a transcript when its text is corrected.

Connected to ``interviews.signals.transcript_corrected`` in ``CodebookConfig.ready``.
Every model in ``ANCHORED_MODELS`` has ``interview``, ``start``, ``end``, ``quote``,
``anchor_status`` (``AnchorStatus``) and ``lost_quote``; a later model (suggestions)
joins by being added to the list.

- moved: new offsets, quote recomputed, status unchanged;
- changed: the surviving span, status CHANGED;
- lost: status LOST, the old words in ``lost_quote``, and a one-character
  placeholder span where the passage was (the database wants a valid span).

A row already CHANGED stays so until someone accepts it; a LOST row stays lost,
its placeholder following the text.
"""

from bisect import bisect_right

from django.db import connections, router, transaction
from django.utils import timezone

from codebook.models import AnchorStatus, Coding
from interviews.anchoring import CHANGED, LOST, OffsetMap, match_texts

ANCHORED_MODELS = [Coding]

_SEVERITY = {AnchorStatus.OK: 0, AnchorStatus.CHANGED: 1, AnchorStatus.LOST: 2}
_FIELDS = ["start", "end", "quote", "anchor_status", "lost_quote", "updated"]


def reanchor_on_correction(sender, interview, old_text: str, new_text: str, **kwargs) -> dict:
    """Re-anchor every anchored row of the interview; return how many moved, changed, were lost."""
    blocks = match_texts(old_text, new_text)
    mapping = _Mapping(blocks, new_text)
    counts = {"moved": 0, "changed": 0, "lost": 0}
    with transaction.atomic():
        for model in ANCHORED_MODELS:
            rows = list(model.objects.filter(interview=interview).order_by("pk"))
            was_ok = {row.pk for row in rows if row.anchor_status == AnchorStatus.OK}
            updated = [row for row in rows if mapping.move(row, counts)]
            if not updated:
                continue
            now = timezone.now()
            for row in updated:
                row.updated = now
            # Two rows may swap spans on the way: with every moving row briefly
            # out of the "ok" uniqueness, no intermediate state can collide.
            moving_ok = [row.pk for row in updated if row.pk in was_ok]
            model.objects.filter(pk__in=moving_ok).update(anchor_status=AnchorStatus.CHANGED)
            _update_rows(model, updated)
    return counts


def _update_rows(model, rows) -> None:
    """Write the re-anchored fields of many rows with one prepared UPDATE.

    ``bulk_update`` builds a CASE per field and row: for 2,000 codings it takes
    seconds, this takes milliseconds. Values go through the fields, so the
    database sees what ``save()`` would write.
    """
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in _FIELDS]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class _Mapping:
    def __init__(self, blocks: list[tuple[int, int, int]], new_text: str) -> None:
        self.blocks = blocks
        self.old_starts = [a for a, _, _ in blocks]
        self.offset_map = OffsetMap(blocks)
        self.new_text = new_text

    def move(self, row, counts: dict) -> bool:
        """Move one row to the new text in memory; return whether anything changed."""
        before = (row.start, row.end, row.anchor_status, row.quote)
        result = self.offset_map.map_span(row.start, row.end)
        if result.status == LOST:
            if row.anchor_status != AnchorStatus.LOST:
                row.lost_quote = row.quote
            row.anchor_status = AnchorStatus.LOST
            position = min(self.nearest_position(row.start), len(self.new_text) - 1)
            row.start, row.end = position, position + 1
            counts["lost"] += 1
        else:
            row.start, row.end = result.start, result.end
            status = AnchorStatus.CHANGED if result.status == CHANGED else AnchorStatus.OK
            if _SEVERITY[status] > _SEVERITY[AnchorStatus(row.anchor_status)]:
                row.anchor_status = status
            counts["changed" if result.status == CHANGED else "moved"] += 1
        row.quote = self.new_text[row.start : row.end]
        return (row.start, row.end, row.anchor_status, row.quote) != before

    def nearest_position(self, old_offset: int) -> int:
        """Where ``old_offset`` lies in the new text, or just after what survived before it."""
        index = bisect_right(self.old_starts, old_offset) - 1
        if index < 0:
            return 0
        a, b, size = self.blocks[index]
        return b + min(old_offset - a, size)
