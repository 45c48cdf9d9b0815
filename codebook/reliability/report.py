"""Map a study's codings to the agreement statistics: the one bridge from the ORM.

Coders are user ids, or ``CONSENSUS`` for the consensus layer (codings with
origin "consensus", whoever settled them). The chosen interviews are laid end
to end on one continuum so that each coefficient is one call for the study.
"""

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, Q

from codebook.agreement import AgreementUndefined, bootstrap_from_patterns
from codebook.layers import coders_of
from codebook.models import Code, Coding, Origin
from codebook.reliability.disagreements import (
    Disagreement,
    find_continuum_disagreements,
    find_unit_disagreements,
)
from codebook.reliability.sentences import sentence_spans_for
from codebook.reliability.table import Group, Row, build_rows
from codebook.units import checked_units, code_presence_by_unit
from interviews.models import Interview, SpeakerRole, Study, Turn

CONSENSUS = "consensus"
CONSENSUS_LABEL = "Consensus"
MEMO_SECONDS = 7 * 24 * 3600


@dataclass
class Continuum:
    """The chosen interviews end to end: shifted codings and units, and where each begins."""

    codings: list[tuple]  # (coder, start, end, code id)
    units: list[tuple] | None
    length: int
    offsets: dict[int, int]  # interview id -> where its text begins on the continuum
    interviews: list[Interview]

    @cached_property
    def _starts(self) -> list[int]:
        return [self.offsets[interview.pk] for interview in self.interviews]

    def locate(self, position: int) -> tuple[Interview, int]:
        """Return the interview holding a continuum position and the offset within it."""
        starts = self._starts
        index = bisect.bisect_right(starts, position) - 1
        if index < 0:
            raise ValueError(f"position {position} is before the first interview")
        return self.interviews[index], position - starts[index]


@dataclass
class Report:
    rows: list[Row]
    coders: list
    coder_labels: dict
    groups: list[Group]
    continuum: Continuum
    unit: str
    threshold: float

    def overlaps(self, labels: dict) -> list[dict]:
        """Describe each unit where a coder applied two codes of one group, for the reader.

        ``labels`` maps code ids to their paths.
        """
        found = []
        for row in self.rows:
            for conflict in row.conflicts:
                start, end = self.continuum.units[conflict.unit]
                interview, local = self.continuum.locate(start)
                found.append(
                    {
                        "group": row.label,
                        "coder": self.coder_labels[conflict.coder],
                        "codes": [labels[code] for code in conflict.codes],
                        "interview": interview,
                        "start": local,
                        "end": local + end - start,
                        "passage": interview.text[local : local + end - start],
                    }
                )
        return found

    def footnotes(self) -> list[str]:
        """Return each distinct reason a figure has no value, in table order."""
        reasons: list[str] = []
        for row in self.rows:
            found = [f.reason for f in row.coefficients().values() if f.value is None]
            if row.interval is None:
                found.append(row.interval_reason or "alpha is undefined")
            for reason in found:
                if reason and reason not in reasons:
                    reasons.append(reason)
        return reasons


def coder_choices(study: Study) -> list[tuple[str, str]]:
    """Return (key, label) for every member who codes and former coder, then the consensus."""
    users = coders_of(study)
    return [(str(user.pk), user.get_username()) for user in users] + [(CONSENSUS, CONSENSUS_LABEL)]


def busiest_coders(study: Study, count: int = 2) -> list[str]:
    """Return the keys of the ``count`` coders with the most codings: the page's first choice."""
    rows = (
        Coding.objects.anchored()
        .filter(interview__study=study)
        .exclude(origin=Origin.CONSENSUS)
        .values("coder_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "coder_id")[:count]
    )
    return [str(row["coder_id"]) for row in rows]


def coder_labels(coders: Sequence) -> dict:
    users = get_user_model().objects.filter(pk__in=[c for c in coders if c != CONSENSUS])
    names = {user.pk: user.get_username() for user in users}
    return {coder: CONSENSUS_LABEL if coder == CONSENSUS else names[coder] for coder in coders}


def applicable_codes(study: Study) -> list[Code]:
    """Return the applicable codes in tree order, each with ``label`` set to its path."""
    codes = list(Code.objects.filter(study=study))
    by_id = {code.pk: code for code in codes}
    for code in codes:
        code.label = code.path_in(by_id)
    return sorted((c for c in codes if not c.grouping_only), key=lambda c: c.label.lower())


def group_codes(codes: Sequence[Code]) -> list[Group]:
    """Group the chosen codes by parent: siblings are one group of mutually exclusive codes.

    Top-level codes stand alone: nothing says they exclude each other.
    """
    groups: dict = defaultdict(list)
    order = []
    for code in codes:
        key = code.parent_id if code.parent_id is not None else ("top", code.pk)
        if key not in groups:
            order.append(key)
        groups[key].append(code)
    result = []
    for key in order:
        members = groups[key]
        label = members[0].label.rsplit("/", 1)[0] if len(members) > 1 else members[0].label
        result.append(Group(label, tuple(code.pk for code in members)))
    return result


def load_continuum(
    interviews: Sequence[Interview],
    coders: Sequence,
    codes: Sequence[Code],
    unit: str,
    interviewer: bool = False,
) -> Continuum:
    """Read the chosen coders' codings (one query) and the units (one to three more).

    Sentence and turn units leave out the interviewer's turns unless ``interviewer``:
    uncoded questions would inflate agreement.
    """
    offsets, position = {}, 0
    for interview in interviews:
        offsets[interview.pk] = position
        position += len(interview.text)
    users = [c for c in coders if c != CONSENSUS]
    who = Q(coder_id__in=users) & ~Q(origin=Origin.CONSENSUS)
    if CONSENSUS in coders:
        who |= Q(origin=Origin.CONSENSUS)
    rows = (
        Coding.objects.anchored()
        .filter(who, interview__in=list(offsets), code__in=[c.pk for c in codes])
        .order_by()
        .values_list("interview_id", "coder_id", "origin", "start", "end", "code_id")
    )
    codings = [
        (
            CONSENSUS if origin == Origin.CONSENSUS else coder,
            offsets[interview_id] + start,
            offsets[interview_id] + end,
            code,
        )
        for interview_id, coder, origin, start, end, code in rows
    ]
    units = None
    if unit in ("turn", "sentence"):
        # Checked once: the table, the disagreements and the unit-by-unit CSV reuse them.
        units = checked_units(
            _shifted(interviews, offsets, _unit_spans(interviews, unit, interviewer))
        )
    return Continuum(codings, units, position, offsets, list(interviews))


def _unit_spans(interviews, unit: str, interviewer: bool) -> dict:
    """Return each interview's turns or sentences, without the interviewer's unless asked."""
    turns = (
        Turn.objects.filter(interview__in=interviews, end__gt=F("start"))
        .order_by("interview_id", "start")
        .values_list("interview_id", "start", "end", "speaker_role")
    )
    kept, left_out = defaultdict(list), defaultdict(list)
    for interview_id, start, end, role in turns:
        skip = role == SpeakerRole.INTERVIEWER and not interviewer
        (left_out if skip else kept)[interview_id].append((start, end))
    if unit == "turn":
        return kept
    spans = sentence_spans_for(interviews)
    return {
        pk: [s for s in sentences if not _inside_any(s, left_out.get(pk, []))]
        for pk, sentences in spans.items()
    }


def _inside_any(span: tuple, turns: list[tuple]) -> bool:
    index = bisect.bisect_right(turns, (span[0], float("inf"))) - 1
    return index >= 0 and turns[index][0] <= span[0] and span[1] <= turns[index][1]


def _shifted(interviews, offsets, spans_by_interview) -> list[tuple]:
    units = []
    for interview in interviews:
        shift = offsets[interview.pk]
        units += [(shift + s, shift + e) for s, e in spans_by_interview.get(interview.pk, [])]
    return units


def _remembered(name: str, key_data, compute: Callable):
    """Return ``compute()`` memoised in Django's cache; an undefined result is memoised too."""
    digest = hashlib.sha256(repr(key_data).encode()).hexdigest()
    key = f"coprod:{name}:{digest}"
    found = cache.get(key)
    if found is None:
        try:
            found = ("value", compute())
        except AgreementUndefined as error:
            found = ("undefined", str(error))
        except ValueError as error:
            found = ("invalid", str(error))
        cache.set(key, found, timeout=MEMO_SECONDS)
    kind, value = found
    if kind == "undefined":
        raise AgreementUndefined(value)
    if kind == "invalid":
        raise ValueError(value)
    return value


def remembered_interval(patterns: Mapping, **options) -> tuple[float, float]:
    """Return ``bootstrap_from_patterns``, memoised on the data's unit patterns.

    The bootstrap is seeded, so equal data give equal intervals; the patterns of
    values (with their counts) are all it depends on, and a page reload or a
    settlement elsewhere need not redraw 1,000 resamples.
    """
    # "/2": the numpy resampling draws other intervals than the binomial chains
    # before it; a shared cache must not serve intervals from the old stream.
    return _remembered(
        "alpha-interval/2",
        (sorted(patterns.items(), key=repr), sorted(options.items())),
        lambda: bootstrap_from_patterns(patterns, **options),
    )


def remembered_unitizing(continuum, codes: Sequence, variant: str) -> float:
    """Return ``continuum.alpha(variant, codes)`` memoised (a ``CodedContinuum``).

    The alphas do not depend on the unit, so switching units or reloading the
    page reuses them until a coding changes. The key is the continuum's
    fingerprint (its length, coders and every segment) and the call's codes.
    """
    key = (continuum.fingerprint(), variant, sorted(map(repr, codes)))
    return _remembered("unitizing-alpha/2", key, lambda: continuum.alpha(variant, codes))


def agreement_report(
    study: Study,
    coders: Sequence,
    interviews: Sequence[Interview],
    codes: Sequence[Code],
    unit: str,
    threshold: float,
    interviewer: bool = False,
    *,
    figures: bool = True,
    overall_only: bool = False,
) -> Report:
    """Return the table rows (per code, per group, overall) for the chosen slice of the study.

    ``codes`` need ``label`` set (see ``applicable_codes``). ``figures=False`` leaves the
    rows empty: listing disagreements or units needs the codings and units only, and the
    figures of a large study take seconds; ``overall_only`` computes the "All codes" row alone.
    """
    continuum = load_continuum(interviews, coders, codes, unit, interviewer)
    groups = group_codes(codes)
    if not figures:
        return Report([], list(coders), coder_labels(coders), groups, continuum, unit, threshold)
    labels = {code.pk: code.label for code in codes}
    rows = build_rows(
        continuum.codings,
        continuum.units,
        continuum.length,
        list(coders),
        groups,
        labels,
        unit,
        threshold,
        interval=remembered_interval,
        unitizing=remembered_unitizing,
        overall_only=overall_only,
    )
    return Report(rows, list(coders), coder_labels(coders), groups, continuum, unit, threshold)


@dataclass
class LocatedDisagreement:
    interview: Interview
    code: Code
    start: int  # in the interview's text
    end: int
    coded_by: frozenset

    @property
    def passage(self) -> str:
        return self.interview.text[self.start : self.end]


def find_disagreements(report: Report, codes: Sequence[Code]) -> list[LocatedDisagreement]:
    """List each disagreement on ``codes`` in the report's slice, in text order per interview."""
    continuum, coders = report.continuum, report.coders
    by_code = _codings_by_code(continuum.codings)
    found: list[Disagreement] = []
    for code in codes:
        codings = by_code.get(code.pk, [])
        if report.unit in ("sentence", "turn"):
            found += find_unit_disagreements(
                codings, continuum.units, coders, code.pk, report.threshold
            )
        else:
            found += find_continuum_disagreements(codings, coders, code.pk)
    by_id = {code.pk: code for code in codes}
    located = []
    for item in sorted(found, key=lambda d: (d.start, d.end, by_id[d.code].label)):
        interview, start = continuum.locate(item.start)
        located.append(
            LocatedDisagreement(
                interview, by_id[item.code], start, start + item.end - item.start, item.coded_by
            )
        )
    return located


def _codings_by_code(codings: Sequence[tuple]) -> dict:
    """Split the continuum's ``(coder, start, end, code)`` by code, keeping their order."""
    by_code: dict = defaultdict(list)
    for coding in codings:
        by_code[coding[3]].append(coding)
    return by_code


def unit_rows(report: Report, codes: Sequence[Code]):
    """Yield the unit-by-unit data: one row per unit and code with each coder's decision.

    On the continuum (character, segment) the data are the codings themselves.
    """
    continuum, coders = report.continuum, report.coders
    if report.unit in ("sentence", "turn"):
        # Where each unit lies is worked out once, not once per code: a large study has
        # tens of thousands of units and a hundred codes or more.
        places = []
        for index, (start, end) in enumerate(continuum.units):
            interview, local = continuum.locate(start)
            places.append((interview.title, index + 1, local, local + end - start))
        by_code = _codings_by_code(continuum.codings)
        for code in codes:
            presence = code_presence_by_unit(
                by_code.get(code.pk, []), continuum.units, coders, code.pk, report.threshold
            )
            flags = zip(*(map(int, presence[coder]) for coder in coders), strict=True)
            for place, coded in zip(places, flags, strict=True):
                yield [*place, code.label, *coded]
    else:
        labels = {code.pk: code.label for code in codes}
        for coder, start, end, code in sorted(continuum.codings, key=lambda c: (c[1], c[2])):
            interview, local = continuum.locate(start)
            yield [
                interview.title,
                local,
                local + end - start,
                labels[code],
                report.coder_labels[coder],
            ]
