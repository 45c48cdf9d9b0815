"""Gather the facts of a study's methods report from the database.

Frozen codebook versions, settlements and agreement figures come from other
parts of coprod; each is read by its own small function that says "none
recorded" while that part is not installed.
"""

from collections import Counter, defaultdict

from django.apps import apps
from django.db.models import Count, Max, Min
from django.utils import timezone

from codebook.analysis.matrices import code_rows, word_indexes
from codebook.analysis.report_text import Facts, join_words, plural
from codebook.models import Code, Origin
from codebook.selection import filter_codings
from interviews.models import Interview, ParticipantAttribute, Role, Study


def gather_facts(study: Study, user, role: Role) -> Facts:
    """Return what the report states; a member blind to other coders sees only their own work."""
    facts = Facts(title=study.title, today=timezone.localdate(), blind_coding=study.blind_coding)
    _material(study, facts)
    _participants(study, facts)
    per_coder = _coders(study, user, role, facts)
    _codebook(study, facts)
    facts.versions = codebook_versions(study)
    if role.sees_other_coders(study):
        # Seeing everyone's codings, the member's counts are the study's: its busiest two.
        busiest = sorted(per_coder, key=lambda coder: (-per_coder[coder], coder))[:2]
        facts.agreement = agreement_figures(study, [str(coder) for coder in busiest])
        _settlements(study, facts)
    else:
        facts.agreement_hidden = True
    return facts


def _material(study: Study, facts: Facts) -> None:
    # Words counted from the matrices' cached word indexes: the same count as splitting each
    # transcript, without reading them all whenever the report is opened.
    indexes = word_indexes(study)
    lengths = []
    languages: Counter[str] = Counter()
    for pk, language in Interview.objects.filter(study=study).values_list("pk", "language"):
        lengths.append(len(indexes[pk][0]))
        languages[language] += 1
    dates = Interview.objects.filter(study=study).aggregate(first=Min("date"), last=Max("date"))
    facts.interviews = len(lengths)
    facts.words = sum(lengths)
    facts.shortest = min(lengths, default=0)
    facts.longest = max(lengths, default=0)
    facts.first_interview, facts.last_interview = dates["first"], dates["last"]
    facts.languages = sorted(languages)


def _participants(study: Study, facts: Facts) -> None:
    facts.participants = study.participants.count()
    values: dict[str, Counter[str]] = defaultdict(Counter)
    for name, value in ParticipantAttribute.objects.filter(participant__study=study).values_list(
        "name", "value"
    ):
        values[name][value] += 1
    facts.attributes = [
        (name, sorted(values[name].items(), key=lambda item: item[0].casefold()))
        for name in sorted(values, key=str.casefold)
    ]


def _coders(study: Study, user, role: Role, facts: Facts) -> dict[int, int]:
    """Fill in who coded how much, and when; return the codings per coder (consensus apart)."""
    # One reading of the codings for every figure: each count read them all again.
    rows = (
        filter_codings(study, user, role)
        .order_by()
        .values("coder", "origin")
        .annotate(number=Count("pk"), first=Min("created"), last=Max("created"))
    )
    per_coder: dict[int, int] = defaultdict(int)
    per_origin: dict[str, int] = defaultdict(int)
    firsts, lasts = [], []
    for row in rows:
        if row["origin"] != Origin.CONSENSUS:
            per_coder[row["coder"]] += row["number"]
        per_origin[row["origin"]] += row["number"]
        firsts.append(row["first"])
        lasts.append(row["last"])
    members = study.memberships.select_related("user").order_by("user__username")
    if not role.sees_other_coders(study):
        members = members.filter(user=user)
        facts.only_own_codings = True
    # A coder is a member with codings of their own (the consensus layer is counted apart).
    facts.coders = [
        (member.user.get_username(), Role(member.role).label, per_coder[member.user_id])
        for member in members
        if per_coder.get(member.user_id)
    ]
    facts.consensus_codings = per_origin[Origin.CONSENSUS]
    facts.search_codings = per_origin[Origin.SEARCH]
    facts.first_coding = timezone.localdate(min(firsts)) if firsts else None
    facts.last_coding = timezone.localdate(max(lasts)) if lasts else None
    return per_coder


def _codebook(study: Study, facts: Facts) -> None:
    codes = {code.pk: code for code in Code.objects.filter(study=study)}
    facts.codes = [
        (path, codes[pk].definition, codes[pk].grouping_only) for pk, path in code_rows(study)
    ]


def _model(name: str):
    try:
        return apps.get_model("codebook", name)
    except LookupError:
        return None


def codebook_versions(study: Study) -> list:
    """Return (name, date) of every frozen codebook version, oldest first."""
    version = _model("CodebookVersion")
    if version is None:
        return []
    rows = version.objects.filter(study=study).order_by("created", "pk")
    return [(row.name, timezone.localdate(row.created)) for row in rows]


def agreement_figures(study: Study, busiest: list[str] | None = None) -> list[str]:
    """Return a sentence stating the agreement of the two busiest coders, over speaker turns.

    Uses the agreement page's own report with its defaults (every interview,
    every applicable code, its default threshold); empty when fewer than two
    coders have coded. ``busiest``: their keys, when the caller has counted them.
    """
    from django.http import QueryDict

    from codebook.reliability.forms import AgreementForm
    from codebook.reliability.report import agreement_report, busiest_coders

    query = QueryDict(mutable=True)
    query.setlist("coders", busiest_coders(study) if busiest is None else busiest)
    query["unit"] = "turn"
    form = AgreementForm(study, query)
    if not form.is_valid():
        return []
    data = form.cleaned_data
    report = agreement_report(
        study,
        data["coders"],
        data["interviews"],
        data["codes"],
        "turn",
        data["threshold"],
        overall_only=True,  # the report states the figures for every code together alone
    )
    overall = next((row for row in report.rows if row.kind == "all"), None)
    if overall is None:
        return []
    names = join_words([report.coder_labels[coder] for coder in report.coders])
    figures = [
        f"{name} {_figure(value)}"
        for name, value in (("Cohen's κ", overall.kappa), ("Krippendorff's α", overall.alpha))
    ]
    return [
        f"Agreement between {names} was measured with the speaker turn as the unit (a code "
        f"counts in a turn when a coding covers at least {data['threshold']:.0%} of it), over "
        f"{plural(overall.units or 0, 'unit')} and every applicable code: {join_words(figures)}."
    ]


def _figure(figure) -> str:
    if figure.value is None:
        return f"undefined ({figure.reason})" if figure.reason else "undefined"
    return f"= {figure.value:.2f}"


def _settlements(study: Study, facts: Facts) -> None:
    settlement = _model("Settlement")
    if settlement is None:
        return
    rows = settlement.objects.filter(study=study)
    labels = dict(settlement._meta.get_field("choice").choices)
    counts = rows.order_by().values("choice").annotate(number=Count("pk"))
    facts.settlements = sum(row["number"] for row in counts)
    facts.settlement_choices = [
        (str(labels.get(row["choice"], row["choice"])), row["number"]) for row in counts
    ]
    last = rows.aggregate(last=Max("settled"))["last"]
    facts.last_settlement = timezone.localdate(last) if last else None
