"""The suggestions layer of the workbench: what one coder is offered on one interview.

Each coder sees only suggestions made for them; under blind coding those came from a model
that learned from their own codings and the consensus layer only.
"""

from functools import cached_property

from django.db.models import Count, Q
from django.http import QueryDict

from codebook.models import Code, Suggester, Suggestion, SuggestionRun, SuggestionStatus
from interviews.models import Interview, Role

LIST_LIMIT = 200


def parse_min_score(value: str | None) -> float:
    """Read a minimum score typed as 0.7 or 70 (%); anything unreadable means 0."""
    try:
        score = float((value or "").strip().rstrip("%"))
    except ValueError:
        return 0.0
    if score > 1:
        score /= 100
    return min(max(score, 0.0), 1.0)


class SuggestionPanel:
    """Compute the panel's parts lazily: a closed layer costs one query (the latest run)."""

    def __init__(self, interview: Interview, role: Role, user, params: QueryDict):
        self.interview = interview
        self.role = role
        self.user = user
        self.params = params
        self.shown = params.get("suggestions") == "1"
        self.min_score = parse_min_score(params.get("min"))
        try:
            self.code_id = int(params.get("scode") or 0) or None
        except ValueError:
            self.code_id = None
        if self.code_id is not None and abs(self.code_id) > 2**62:
            # Read like any unreadable filter: no code has an id past SQLite's integers.
            self.code_id = None

    @property
    def can_use(self) -> bool:
        return self.role.can_code()

    @property
    def suggesters(self):
        return Suggester.choices

    @cached_property
    def latest_run(self) -> SuggestionRun | None:
        if not self.can_use:
            return None
        return (
            SuggestionRun.objects.filter(
                Q(interview=self.interview) | Q(interview__isnull=True),
                study=self.interview.study,
                coder=self.user,
            )
            .order_by("-created", "-pk")
            .first()
        )

    def _open(self):
        return Suggestion.objects.filter(
            interview=self.interview, coder=self.user, status=SuggestionStatus.OPEN
        )

    @cached_property
    def items(self) -> list[Suggestion]:
        """The open suggestions passing the filter, in text order, with their codes (one query)."""
        rows = self._open().filter(score__gte=self.min_score).select_related("code")
        if self.code_id:
            rows = rows.filter(code_id=self.code_id)
        items = list(rows.order_by("start", "-score", "pk")[:LIST_LIMIT])
        text = self.interview.text
        for item in items:
            item.quote = text[item.start : item.end]
        return items

    @cached_property
    def matching(self) -> int:
        """How many open suggestions pass the filter: the list stops at ``LIST_LIMIT``."""
        if len(self.items) < LIST_LIMIT:
            return len(self.items)
        rows = self._open().filter(score__gte=self.min_score)
        return (rows.filter(code_id=self.code_id) if self.code_id else rows).count()

    @cached_property
    def code_counts(self) -> list[tuple[int, str, int]]:
        """(code id, name, open suggestions) for the filter, one grouped query."""
        rows = (
            self._open()
            .values("code_id", "code__name")
            .annotate(n=Count("pk"))
            .order_by("code__name")
        )
        return [(row["code_id"], row["code__name"], row["n"]) for row in rows]

    @cached_property
    def filter_code(self) -> Code | None:
        return next(
            (Code(pk=pk, name=name) for pk, name, _ in self.code_counts if pk == self.code_id),
            None,
        )

    @cached_property
    def decided_counts(self) -> dict[str, int]:
        rows = (
            Suggestion.objects.filter(interview=self.interview, coder=self.user)
            .exclude(status=SuggestionStatus.OPEN)
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        return dict(rows)

    def spans_json(self) -> list[dict]:
        """The listed suggestions for the page's script; ids are negative, unlike codings'."""
        return [
            {
                "id": -item.pk,
                "pk": item.pk,
                "kind": "suggestion",
                "code": item.code_id,
                "start": item.start,
                "end": item.end,
                "score": round(item.score, 2),
            }
            for item in self.items
        ]
