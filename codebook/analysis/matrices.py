"""Code matrices of a study: code × interview, code × attribute value, code × code.

Each reads the chosen codings once as ``(interview, code, start, end)`` rows and
counts in Python; the share of words coded also reads the transcripts' text.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import QuerySet

from codebook.analysis.overlap import (
    count_by_turn,
    count_indexed_words,
    count_overlapping_codes,
    index_words,
)
from codebook.models import Code, Coding
from codebook.selection import SAME_TURN
from interviews.models import Interview, ParticipantAttribute, Study, Turn

NO_VALUE = "(none)"


@dataclass
class Matrix:
    """Codes against columns; ``counts`` and ``shares`` are keyed by (code id, column key)."""

    rows: list[tuple[int, str]]
    columns: list[tuple[object, str]]
    counts: dict[tuple[int, object], int]
    shares: dict[tuple[int, object], float] = field(default_factory=dict)

    @property
    def highest(self) -> int:
        return max(self.counts.values(), default=0)

    def table(self) -> list[tuple[int, str, list[tuple[object, int, float | None]]]]:
        """Return the rows as (code id, path, [(column key, count, share or None)...])."""
        return [
            (
                code,
                path,
                [
                    (key, self.counts.get((code, key), 0), self.shares.get((code, key)))
                    for key, _ in self.columns
                ],
            )
            for code, path in self.rows
        ]


def code_rows(study: Study) -> list[tuple[int, str]]:
    """Return every code's (id, path), in the codebook's order of paths (one query)."""
    codes = {code.pk: code for code in Code.objects.filter(study=study)}
    rows = [(pk, code.path_in(codes)) for pk, code in codes.items()]
    return sorted(rows, key=lambda row: row[1].casefold())


def _segments(codings: QuerySet[Coding]) -> list[tuple[int, int, int, int]]:
    return list(codings.order_by().values_list("interview_id", "code_id", "start", "end"))


def word_indexes(study: Study) -> dict[int, tuple]:
    """Return each interview's word index (``index_words``), reading only changed transcripts.

    Splitting long transcripts into words dominated a matrix's time, so each
    index is kept in Django's cache under the interview's id and change time.
    """
    rows = Interview.objects.filter(study=study).values_list("pk", "updated")
    keys = {pk: f"coprod-word-index:{pk}:{_stamp(updated)}" for pk, updated in rows}
    cached = cache.get_many(list(keys.values()))
    found = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in keys if pk not in found]
    if missing:
        texts = Interview.objects.filter(pk__in=missing).values_list("pk", "text")
        fresh = {pk: index_words(text) for pk, text in texts}
        cache.set_many({keys[pk]: index for pk, index in fresh.items()}, timeout=24 * 3600)
        found.update(fresh)
    return found


def _stamp(updated) -> str:
    # A cache key without spaces: memcached refuses them.
    return str(updated.timestamp()) if hasattr(updated, "timestamp") else str(updated)


def interview_matrix(study: Study, codings: QuerySet[Coding]) -> Matrix:
    """Count codings and the share of each interview's words they cover, per code."""
    indexes = word_indexes(study)
    titles = list(Interview.objects.filter(study=study).values_list("pk", "title"))
    counts, spans = _count(_segments(codings), lambda interview: interview)
    words = {pk: len(index[0]) for pk, index in indexes.items()}
    shares = {
        (code, interview): count_indexed_words(indexes[interview], found) / words[interview]
        for (code, interview), found in spans.items()
        if words[interview]
    }
    return Matrix(code_rows(study), titles, counts, shares)


def attribute_names(study: Study) -> list[str]:
    """Return the names of the study's participant attributes, sorted."""
    names = ParticipantAttribute.objects.filter(participant__study=study).values_list("name")
    return sorted({name for (name,) in names}, key=str.casefold)


def attribute_matrix(study: Study, codings: QuerySet[Coding], name: str) -> Matrix:
    """Count codings per value of the participants' attribute ``name``, with the words' share.

    Interviews without a participant, or whose participant lacks the attribute,
    fall under ``NO_VALUE``.
    """
    values = dict(
        ParticipantAttribute.objects.filter(participant__study=study, name=name).values_list(
            "participant_id", "value"
        )
    )
    indexes = word_indexes(study)
    value_of: dict[int, str] = {}
    words: dict[str, int] = defaultdict(int)
    for pk, participant_id in Interview.objects.filter(study=study).values_list(
        "pk", "participant_id"
    ):
        value_of[pk] = values.get(participant_id, NO_VALUE) or NO_VALUE
        words[value_of[pk]] += len(indexes[pk][0])
    counts, spans = _count(_segments(codings), lambda interview: interview, by=value_of)
    coded: dict[tuple[int, object], int] = defaultdict(int)
    for (code, interview), found in spans.items():
        coded[(code, value_of[interview])] += count_indexed_words(indexes[interview], found)
    shares = {key: coded[key] / words[key[1]] for key in coded if words[key[1]]}
    columns = [(value, value) for value in sorted(words, key=str.casefold)]
    return Matrix(code_rows(study), columns, counts, shares)


def _count(segments, key, by=None):
    counts: dict[tuple[int, object], int] = defaultdict(int)
    spans: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for interview, code, start, end in segments:
        column = by[interview] if by is not None else key(interview)
        counts[(code, column)] += 1
        spans[(code, interview)].append((start, end))
    return dict(counts), spans


def cooccurrence_matrix(study: Study, codings: QuerySet[Coding], proximity: str) -> Matrix:
    """Count, per pair of codes, the row code's codings that overlap (or share a turn with) the
    column code's; the diagonal holds each code's number of codings."""
    by_interview: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for interview, code, start, end in _segments(codings):
        by_interview[interview].append((code, start, end))
    turns: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if proximity == SAME_TURN:
        for interview, start, end in (
            Turn.objects.filter(interview__study=study)
            .order_by("interview", "start")
            .values_list("interview_id", "start", "end")
        ):
            turns[interview].append((start, end))
    counts: dict[tuple[int, object], int] = defaultdict(int)
    diagonal: dict[tuple[int, object], int] = defaultdict(int)
    for interview, segments in by_interview.items():
        if proximity == SAME_TURN:
            found = count_by_turn(segments, turns[interview])
        else:
            found = count_overlapping_codes(segments)
        for pair, number in found.items():
            counts[pair] += number
        for code, _, _ in segments:
            diagonal[(code, code)] += 1
    counts.update(diagonal)
    rows = [row for row in code_rows(study) if (row[0], row[0]) in diagonal]
    return Matrix(rows, list(rows), dict(counts))


def code_colours(study: Study) -> dict[int, str]:
    """Return every code's colour by id (one query)."""
    return dict(Code.objects.filter(study=study).values_list("pk", "colour"))


def matrix_csv_rows(matrix: Matrix, with_shares: bool) -> list[list]:
    """Return the matrix as CSV rows: header, then per code its counts (and shares in %)."""
    labels = [label for _, label in matrix.columns]
    header = ["code", *labels]
    if with_shares:
        header += [f"% words coded: {label}" for label in labels]
    rows = [header]
    for _, path, cells in matrix.table():
        row = [path, *(count for _, count, _ in cells)]
        if with_shares:
            row += [f"{100 * share:.1f}" if share is not None else "0.0" for _, _, share in cells]
        rows.append(row)
    return rows
