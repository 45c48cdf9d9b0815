"""How much each code is used: codings, interviews and coders, in one query."""

from django.db.models import Count

from codebook.models import Coding
from interviews.models import Role, Study


def visible_codings(study: Study, user, role: Role):
    """Return the study's codings this member may see (only their own under blind coding)."""
    codings = Coding.objects.anchored().filter(interview__study=study)
    return codings if role.sees_other_coders(study) else codings.filter(coder=user)


def count_codings(study: Study, user, role: Role, code=None) -> dict[int, dict[str, int]]:
    """Return ``{code_id: {"codings", "interviews", "coders"}}`` for the codes in use (or
    for ``code`` alone)."""
    codings = visible_codings(study, user, role)
    if code is not None:
        codings = codings.filter(code=code)
    rows = codings.values("code_id").annotate(
        codings=Count("pk"),
        interviews=Count("interview", distinct=True),
        coders=Count("coder", distinct=True),
    )
    return {row.pop("code_id"): row for row in rows}
