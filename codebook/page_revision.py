"""Positions a page sends are good only for the transcript text the page showed.

A coder may keep an interview open while its owner corrects the transcript. The
correction moves every coding stored so far (``codebook.anchoring``), but the
coder's page still shows the old text, and a passage selected there would be
stored at the old positions of the new text: on other words, without a warning.
So pages that send positions also send the interview's ``revision`` they showed,
and the write is refused when the transcript has moved on since.
"""

import functools
from collections.abc import Mapping

from django.db import connection

from codebook.passages import PassageRefused
from interviews.models import Interview

STALE_TEXT = (
    "The transcript was corrected after this page was opened, so the passage you chose "
    "would land on other words. Nothing was saved: reload the page and choose it again."
)
# For changes to codings the page shows (edges, code, memo, delete, undo, redo): the page
# draws them where they were before the correction, so what it would show is wrong.
STALE_PAGE = (
    "The transcript was corrected after this page was opened, so its codings may now sit "
    "on other words. Nothing was changed: reload the page and do it again (copy any memo "
    "you typed first)."
)


def sent_revision(data: Mapping[str, str]) -> int | None:
    """Return the revision a request says its page showed, or None when it says none.

    Pages without scripts send none; their positions are checked against the text only.
    """
    value = (data.get("revision") or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        message = "The page sent an unreadable transcript revision: reload it."
        raise PassageRefused(message) from None


def check_revision(interview_id: int, revision: int | None, message: str = STALE_TEXT) -> None:
    """Refuse the write when the transcript is no longer at ``revision`` (PassageRefused).

    Call it inside the transaction that writes, before writing. The interview's row
    is locked until that transaction ends, as a correction locks it too: a correction
    saved first is seen here, and one saved later waits and then moves what was written.
    (SQLite runs one writing transaction at a time, which gives the same order.)
    """
    if revision is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(_read_revision(connection.vendor), [interview_id])
        row = cursor.fetchone()
    if row is None or row[0] != revision:
        raise PassageRefused(message)


@functools.cache
def _read_revision(vendor: str) -> str:
    """The statement that reads and locks an interview's revision, once per database kind.

    Written out: a suggestion run checks every interview it stores, and the ORM took
    200 microseconds to build this query against 16 for running it.
    """
    ops, features = connection.ops, connection.features
    lock = ""
    if features.has_select_for_update:
        # Not FOR UPDATE: coders' checks need not wait for each other, only for a correction.
        lock = " " + ops.for_update_sql(no_key=features.has_select_for_no_key_update)
    meta = Interview._meta
    return (
        f"SELECT {ops.quote_name('revision')} FROM {ops.quote_name(meta.db_table)}"
        f" WHERE {ops.quote_name(meta.pk.column)} = %s{lock}"
    )
