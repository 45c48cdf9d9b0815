"""Which codings a member may take out of a study, narrowed by the usual filters.

Shared by the exports and the retrieval page: every list of codings a user
sees outside the workbench goes through ``filter_codings`` so that blind
coding is applied in one place.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from codebook.models import Code, Coding, Origin
from interviews.models import ParticipantAttribute, Role, Study, Turn

CONSENSUS = "consensus"
LAYERS = (CONSENSUS,)
OVERLAP = "overlap"
SAME_TURN = "turn"
PROXIMITIES = (OVERLAP, SAME_TURN)


def _ids(items: Iterable) -> set[int]:
    return {getattr(item, "pk", item) for item in items}


def with_subcodes(study: Study, code_ids: Iterable[int]) -> set[int]:
    """Return the given codes' ids and those of all their descendants (one query)."""
    return _descendants(_children(study), code_ids)


def _children(study: Study) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Code.objects.filter(study=study).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def _descendants(children: dict[int | None, list[int]], code_ids: Iterable[int]) -> set[int]:
    selected: set[int] = set()
    pending = list(code_ids)
    while pending:
        pk = pending.pop()
        if pk not in selected:
            selected.add(pk)
            pending.extend(children.get(pk, []))
    return selected


def filter_codings(
    study: Study,
    user,
    role: Role,
    codes: Iterable | None = None,
    coders: Iterable | None = None,
    interviews: Iterable | None = None,
    layer: str | None = None,
    *,
    subcodes: bool = True,
    with_codes: Iterable | None = None,
    without_codes: Iterable | None = None,
    proximity: str = OVERLAP,
    participants: Iterable | None = None,
    attributes: Iterable[tuple[str, str]] | None = None,
    speakers: Iterable[str] | None = None,
    origins: Iterable[str] | None = None,
    text: str = "",
) -> QuerySet[Coding]:
    """Return the study's codings ``user`` may see, narrowed by codes (with sub-codes), coders,
    interviews and layer (``"consensus"`` or None for every coding).

    A member who may not see other coders gets only their own codings, and no
    consensus layer while coding is blind.

    The keyword-only filters serve the retrieval page: ``with_codes`` keeps
    codings that overlap (``proximity="overlap"``) or share a speaker turn with
    (``"turn"``) a coding of *each* of those codes, ``without_codes`` drops
    those that do so with *any* of them; the partner codings are the ones the
    user may see, by the same coders, in the same layer. ``attributes`` are (name, value) pairs:
    values of one name are alternatives, different names must all match.
    Lost codings (their passage was deleted by a correction) are never included,
    nor counted as partners.
    """
    visible = Coding.objects.anchored().filter(interview__study=study)
    if not role.sees_other_coders(study):
        visible = visible.filter(coder=user).exclude(origin=Origin.CONSENSUS)
    if coders is not None:
        visible = visible.filter(coder__in=_ids(coders))
    if layer == CONSENSUS:
        visible = visible.filter(origin=Origin.CONSENSUS)
    elif layer is not None:
        raise ValueError(f"unknown layer {layer!r}: use one of {', '.join(LAYERS)}")
    codings = visible
    tree: list[dict] = []  # the code tree, read once when sub-codes are first needed

    def expand(chosen: set[int]) -> set[int]:
        if not subcodes:
            return chosen
        if not tree:
            tree.append(_children(study))
        return _descendants(tree[0], chosen)

    if codes is not None:
        codings = codings.filter(code__in=expand(_ids(codes)))
    if interviews is not None:
        codings = codings.filter(interview__in=_ids(interviews))
    if participants is not None:
        codings = codings.filter(interview__participant__in=_ids(participants))
    for name, values in _by_name(attributes or ()).items():
        codings = codings.filter(
            Exists(
                ParticipantAttribute.objects.filter(
                    participant=OuterRef("interview__participant"), name=name, value__in=values
                )
            )
        )
    if speakers is not None:
        codings = codings.filter(
            Exists(
                Turn.objects.filter(
                    interview=OuterRef("interview"),
                    speaker__in=list(speakers),
                    start__lt=OuterRef("end"),
                    end__gt=OuterRef("start"),
                )
            )
        )
    if origins is not None:
        codings = codings.filter(origin__in=list(origins))
    if text:
        codings = codings.filter(quote__icontains=text)
    if with_codes is not None or without_codes is not None:
        codings = _combine(codings, visible, with_codes, without_codes, proximity, expand)
    return codings.order_by("interview__position", "interview__title", "start", "end", "pk")


def _by_name(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def _combine(codings, visible, with_codes, without_codes, proximity, expand):
    if proximity not in PROXIMITIES:
        raise ValueError(f"unknown proximity {proximity!r}: use one of {', '.join(PROXIMITIES)}")
    if proximity == SAME_TURN:
        # The turn a coding belongs to is the first one its passage touches. It is found
        # once per coding, and the partners are compared with its row: compared with the
        # subquery itself, the database ran it again for every partner it looked at.
        first_turn = Turn.objects.filter(
            interview=OuterRef("interview"), start__lt=OuterRef("end"), end__gt=OuterRef("start")
        ).order_by("start")
        codings = codings.annotate(turn_id=Subquery(first_turn.values("pk")[:1]))

        def partners(code) -> Exists:
            group = expand(_ids([code]))
            in_turn = visible.filter(
                interview=OuterRef("interview"),
                code__in=group,
                start__lt=OuterRef("end"),
                end__gt=OuterRef("start"),
            ).exclude(pk=OuterRef(OuterRef("pk")))
            return Exists(Turn.objects.filter(pk=OuterRef("turn_id")).filter(Exists(in_turn)))

    else:

        def partners(code) -> Exists:
            group = expand(_ids([code]))
            near = visible.filter(
                interview=OuterRef("interview"),
                code__in=group,
                start__lt=OuterRef("end"),
                end__gt=OuterRef("start"),
            )
            return Exists(near.exclude(pk=OuterRef("pk")))

    for code in with_codes or ():
        codings = codings.filter(partners(code))
    for code in without_codes or ():
        codings = codings.exclude(partners(code))
    return codings
