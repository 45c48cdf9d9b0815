"""Which codings a member may take out of a study, narrowed by the usual filters.

Shared by the exports and the retrieval page: every list of codings a user
sees outside the workbench goes through ``filter_codings`` so that blind
coding is applied in one place.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from codebook.models import Code, Coding, Origin
from interviews.models import Role, Study

CONSENSUS = "consensus"
LAYERS = (CONSENSUS,)


def _ids(items: Iterable) -> set[int]:
    return {getattr(item, "pk", item) for item in items}


def with_subcodes(study: Study, code_ids: Iterable[int]) -> set[int]:
    """Return the given codes' ids and those of all their descendants (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Code.objects.filter(study=study).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
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
) -> QuerySet[Coding]:
    """Return the study's codings ``user`` may see, narrowed by codes (with sub-codes), coders,
    interviews and layer (``"consensus"`` or None for every coding).

    A member who may not see other coders gets only their own codings, and no
    consensus layer while coding is blind.
    """
    codings = Coding.objects.anchored().filter(interview__study=study)
    if not role.sees_other_coders(study):
        codings = codings.filter(coder=user).exclude(origin=Origin.CONSENSUS)
    if codes is not None:
        codings = codings.filter(code__in=with_subcodes(study, _ids(codes)))
    if coders is not None:
        codings = codings.filter(coder__in=_ids(coders))
    if interviews is not None:
        codings = codings.filter(interview__in=_ids(interviews))
    if layer == CONSENSUS:
        codings = codings.filter(origin=Origin.CONSENSUS)
    elif layer is not None:
        raise ValueError(f"unknown layer {layer!r}: use one of {', '.join(LAYERS)}")
    return codings.order_by("interview__position", "interview__title", "start", "end", "pk")
