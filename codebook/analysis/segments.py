"""One page of retrieved segments with their surroundings, and counts per code.

The context around each quote is cut out by the database (``SUBSTR``), so a
page never reads whole transcripts.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest, Substr

from codebook.analysis.matrices import code_rows
from codebook.models import Coding
from interviews.models import Interview, Study, Turn

CONTEXT = 120
PER_PAGE = 25


@dataclass
class Segment:
    coding: Coding
    path: str
    before: str
    after: str


def segments_page(
    study: Study, codings: QuerySet[Coding], number, paths: dict[int, str], total: int | None = None
) -> tuple[Page, list[Segment]]:
    """Return the page ``number`` of ``codings`` and its segments (four queries, three when
    the caller knows how many ``codings`` there are: ``total``).

    The page's ids are found first and only their rows are read with the
    context: PostgreSQL would otherwise cut the context out of every matching
    coding's transcript (de-compressing it) before keeping the page's.
    """
    paginator = Paginator(in_interview_order(study, codings).values_list("pk", flat=True), PER_PAGE)
    if total is not None:
        paginator.count = total  # counting them again reads every matching coding
    page = paginator.get_page(number)
    ids = list(page.object_list)
    first_turn = Turn.objects.filter(
        interview=OuterRef("interview"), start__lt=OuterRef("end"), end__gt=OuterRef("start")
    ).order_by("start")
    window_start = Greatest(F("start") - CONTEXT, Value(0))
    rows = (
        Coding.objects.filter(pk__in=ids)
        .select_related("coder", "code")
        .annotate(
            interview_title=F("interview__title"),
            speaker=Subquery(first_turn.values("speaker")[:1]),
            text_before=Substr("interview__text", window_start + 1, F("start") - window_start),
            text_after=Substr("interview__text", F("end") + 1, CONTEXT),
        )
    )
    by_id = {coding.pk: coding for coding in rows}
    segments = []
    for coding in (by_id[pk] for pk in ids):
        before, after = coding.text_before, coding.text_after
        if coding.start > CONTEXT and " " in before:
            before = "…" + before[before.index(" ") + 1 :]
        if len(after) == CONTEXT and " " in after:
            after = after[: after.rindex(" ")] + "…"
        segments.append(Segment(coding, paths.get(coding.code_id, ""), before, after))
    return page, segments


def in_interview_order(study: Study, codings: QuerySet[Coding]) -> QuerySet[Coding]:
    """Order ``codings`` as the study lists its interviews, then by offset (one query).

    Ranking the interviews first spares the database a join on the interview
    table per coding just to sort: on SQLite that join reads past each
    transcript's text to reach its position.
    """
    order = Interview.objects.filter(study=study).order_by("position", "title")
    ranks = [
        When(interview_id=pk, then=Value(rank))
        for rank, pk in enumerate(order.values_list("pk", flat=True))
    ]  # noqa: E501
    if not ranks:
        return codings
    rank = Case(*ranks, default=Value(len(ranks)), output_field=IntegerField())
    return codings.order_by(rank, "start", "end", "pk")


def counts_per_code(codings: QuerySet[Coding], paths: dict[int, str]) -> list[tuple[int, str, int]]:
    """Return (code id, path, number of segments) for every code among ``codings``, in the
    order of ``paths`` (code id → path, as ``code_paths`` gives them)."""
    counted = dict(
        codings.order_by().values("code").annotate(number=Count("pk")).values_list("code", "number")
    )
    return [(pk, path, counted[pk]) for pk, path in paths.items() if pk in counted]


def code_paths(study: Study) -> dict[int, str]:
    """Return every code's path by id, in the codebook's order of paths (one query)."""
    return dict(code_rows(study))
