"""What the workbench page shows for one interview, computed only when the template asks."""

from collections import Counter
from functools import cached_property
from html import escape

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

from codebook.codings import history_depth
from codebook.layers import Layers, layers_for
from codebook.models import MEMO_MAX_LENGTH, Code, Coding, Origin
from interviews.models import Interview, Role

CODINGS_PER_PAGE = 50


def build_code_tree(codes: list[Code]) -> list[dict]:
    """Order codes depth-first; each item knows its depth and how many lists close after it."""
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    items: list[dict] = []

    def walk(parent_id, depth):
        for code in children.get(parent_id, []):
            item = {"code": code, "depth": depth, "has_children": code.pk in children}
            items.append(item)
            walk(code.pk, depth + 1)
            if item["has_children"]:
                items[-1]["closes"] = items[-1].get("closes", 0) + 1

    walk(None, 0)
    for item in items:
        item["close_range"] = range(item.get("closes", 0))
    return items


def render_turns(text: str, turns: list[tuple[int, int, str | None, int | None]]) -> SafeString:
    """Write the turns as HTML in one sweep, every text escaped.

    A template loop costs about 0.1 ms a turn, too much for interviews of a thousand turns.
    ``speaker`` None means a transcript without turns: no speaker line.
    """
    parts = []
    for number, (start, end, speaker, timestamp) in enumerate(turns, start=1):
        parts.append(f'<div class="turn" id="turn-{number}">')
        if speaker is not None:
            stamp = ""
            if timestamp is not None:
                hours, rest = divmod(timestamp, 3600)
                stamp = f"<time>{hours:02d}:{rest // 60:02d}:{rest % 60:02d}</time> "
            parts.append(f'<p class="speaker">{stamp}{escape(speaker or "—")}</p>')
        parts.append(f'<p class="spoken" data-start="{start}" data-end="{end}">')
        parts.append(escape(text[start:end]))
        parts.append("</p></div>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)


def descendants_of(code_id: int, codes: list[Code]) -> set[int]:
    """Return the code and all its sub-codes, from a preloaded list."""
    found = {code_id}
    grew = True
    while grew:
        more = {code.pk for code in codes if code.parent_id in found} - found
        grew = bool(more)
        found |= more
    return found


EDGE_MOVES = [
    ("start", unit, step, label)
    for unit in ("word", "sentence")
    for step, label in ((-1, f"Start one {unit} earlier"), (1, f"Start one {unit} later"))
] + [
    ("end", unit, step, label)
    for unit in ("word", "sentence")
    for step, label in ((-1, f"End one {unit} earlier"), (1, f"End one {unit} later"))
]


class Workbench:
    """One coder's view of one interview; each property costs at most one or two queries.

    Lost codings (their words deleted by a correction) are left out everywhere: they
    have only a placeholder span here, and are settled on the review-anchors page.
    """

    def __init__(self, interview: Interview, role: Role, user, params: QueryDict):
        self.interview = interview
        self.study = interview.study
        self.role = role
        self.user = user
        self.params = params

    @cached_property
    def layers(self) -> Layers:
        return layers_for(
            self.study, self.role, self.user, self.params.getlist("layer"), self.interview
        )

    @property
    def can_code(self) -> bool:
        return self.role.can_code()

    @property
    def can_add_codes(self) -> bool:
        return self.role.can_add_codes(self.study)

    @cached_property
    def turns(self) -> list[tuple[int, int, str | None, int | None]]:
        """(start, end, speaker, timestamp) of each turn; the whole text when there are none."""
        turns: list[tuple[int, int, str | None, int | None]] = list(
            self.interview.turns.values_list("start", "end", "speaker", "timestamp")
        )
        return turns or [(0, len(self.interview.text), None, None)]

    @cached_property
    def transcript_html(self) -> SafeString:
        return render_turns(self.interview.text, self.turns)

    @cached_property
    def attributes(self):
        participant = self.interview.participant
        return list(participant.attributes.all()) if participant else []

    @cached_property
    def neighbours(self) -> dict:
        rows = list(self.study.interviews.values_list("pk", "title"))
        ids = [pk for pk, _ in rows]
        index = ids.index(self.interview.pk)
        return {
            "previous": rows[index - 1] if index > 0 else None,
            "next": rows[index + 1] if index + 1 < len(rows) else None,
        }

    @cached_property
    def codes(self) -> list[Code]:
        return list(Code.objects.filter(study=self.study))

    @cached_property
    def codes_by_id(self) -> dict[int, Code]:
        return {code.pk: code for code in self.codes}

    @cached_property
    def coder_names(self) -> dict[int, str]:
        return dict(self.layers.coders)

    @cached_property
    def codings(self) -> list[dict]:
        """The shown codings as compact dicts for the page's JSON (one query)."""
        rows = (
            Coding.objects.anchored()
            .filter(interview=self.interview)
            .filter(self.layers.codings_filter())
            .order_by("start", "end", "pk")
            .values_list("pk", "code_id", "coder_id", "start", "end", "memo", "origin")
        )
        user_id = self.user.pk
        return [
            {
                "id": pk,
                "kind": "coding",
                "code": code_id,
                "coder": coder_id,
                "start": start,
                "end": end,
                "memo": memo,
                "layer": "consensus" if origin == Origin.CONSENSUS else f"c{coder_id}",
                "mine": coder_id == user_id and origin != Origin.CONSENSUS,
            }
            for pk, code_id, coder_id, start, end, memo, origin in rows
        ]

    @cached_property
    def interview_counts(self) -> Counter:
        return Counter(coding["code"] for coding in self.codings)

    @cached_property
    def study_counts(self) -> dict[int, int]:
        rows = (
            Coding.objects.anchored()
            .filter(interview__study=self.study)
            .filter(self.layers.codings_filter())
            .values("code_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row["code_id"]: row["n"] for row in rows}

    @cached_property
    def code_tree(self) -> list[dict]:
        tree = build_code_tree(self.codes)
        for item in tree:
            code = item["code"]
            item["here"] = self.interview_counts.get(code.pk, 0)
            item["everywhere"] = self.study_counts.get(code.pk, 0)
        return tree

    @cached_property
    def parent_choices(self) -> list[tuple[int, str]]:
        return [
            (item["code"].pk, item["code"].path_in(self.codes_by_id))
            for item in build_code_tree(self.codes)
        ]

    @cached_property
    def applicable_choices(self) -> list[tuple[int, str]]:
        """Codes a coding can take: every code but the grouping-only ones."""
        grouping = {code.pk for code in self.codes if code.grouping_only}
        return [(pk, path) for pk, path in self.parent_choices if pk not in grouping]

    @cached_property
    def codes_json(self) -> list[dict]:
        return [
            {
                "id": code.pk,
                "name": code.name,
                "path": code.path_in(self.codes_by_id),
                "colour": code.colour,
                "shortcut": code.shortcut,
                "parent": code.parent_id,
                "grouping": code.grouping_only,
            }
            for code in self.codes
        ]

    @cached_property
    def history(self) -> dict[str, int]:
        if not self.can_code:
            return {"undo": 0, "redo": 0}
        return history_depth(self.interview, self.user)

    @cached_property
    def list_filter(self) -> dict:
        return {
            "code": _int_or_none(self.params.get("code")),
            "coder": _int_or_none(self.params.get("coder")),
        }

    @cached_property
    def list_query(self) -> str:
        """The current parameters but the page (URL-encoded), for links to the list's pages.

        A plain link (no script, or opened in a new tab) must ask for the same list: its
        filter and layers, and whatever else the page showed.
        """
        query = QueryDict(mutable=True)
        for key, values in self.params.lists():
            kept = [value for value in values if value]
            if key not in ("page", "part") and kept:
                query.setlist(key, kept)
        query["list"] = "1"
        return query.urlencode()

    @cached_property
    def coding_list(self):
        """One page of the shown codings, filtered by code (with sub-codes) and coder."""
        codings = (
            Coding.objects.anchored()
            .filter(interview=self.interview)
            .filter(self.layers.codings_filter())
            .select_related("coder")
            .order_by("start", "end", "pk")
        )
        if self.list_filter["code"]:
            codings = codings.filter(
                code_id__in=descendants_of(self.list_filter["code"], self.codes)
            )
        if self.list_filter["coder"]:
            codings = codings.filter(coder_id=self.list_filter["coder"])
        page = Paginator(codings, CODINGS_PER_PAGE).get_page(self.params.get("page"))
        for coding in page:
            coding.code_path = self.codes_by_id[coding.code_id].path_in(self.codes_by_id)
            coding.code_colour = self.codes_by_id[coding.code_id].colour
        return page

    @cached_property
    def open_coding(self) -> Coding | None:
        """The coding opened in the panel (``?coding=``), if it is shown to this member."""
        coding_id = _int_or_none(self.params.get("coding"))
        if coding_id is None:
            return None
        coding = (
            Coding.objects.anchored()
            .filter(interview=self.interview, pk=coding_id)
            .filter(self.layers.codings_filter())
            .select_related("coder")
            .first()
        )
        if coding is not None:
            # Display attributes for the panel's template.
            coding.code_path = self.codes_by_id[coding.code_id].path_in(self.codes_by_id)  # type: ignore[attr-defined]
            coding.editable = self.can_code and coding.coder_id == self.user.pk  # type: ignore[attr-defined]
        return coding

    edge_moves = property(lambda self: EDGE_MOVES)
    memo_max_length = f"{MEMO_MAX_LENGTH:,}"

    @property
    def show_list(self) -> bool:
        return self.params.get("list") == "1" or self.params.get("part") == "coding-list"

    def page_json(self) -> dict:
        return {
            "codes": self.codes_json,
            "coders": {str(pk): name for pk, name in self.layers.coders},
            "codings": self.codings,
            "shownLayers": self.layers.keys(),
            "canCode": self.can_code,
            "me": self.user.pk,
        }


def _int_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    # Read like an unreadable number: no row has an id past SQLite's integers (2**63),
    # which a query could not even hold.
    return number if abs(number) <= 2**62 else None
