"""Word frequencies of a code's passages against the rest of the study."""

from collections import defaultdict

from django.db.models import QuerySet

from codebook.analysis import nlp
from codebook.analysis.keyness import Keyword, rank_distinctive
from codebook.analysis.overlap import merge_spans
from codebook.models import Coding
from interviews.models import Interview, Study


def split_text(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """Return the pieces of ``text`` inside the merged ``spans`` and the pieces outside."""
    inside, outside = [], []
    position = 0
    for start, end in merge_spans(spans):
        outside.append(text[position:start])
        inside.append(text[start:end])
        position = end
    outside.append(text[position:])
    return inside, outside


def distinctive_words(
    study: Study, codings: QuerySet[Coding], limit: int = 30
) -> tuple[list[Keyword], int, int]:
    """Rank the words of ``codings``' passages against the rest of every transcript of the study.

    Returns the keywords and the number of counted words inside and outside the
    passages. Reads every transcript and runs spaCy's tokenizer over all of it.
    """
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for interview, start, end in codings.order_by().values_list("interview_id", "start", "end"):
        spans[interview].append((start, end))
    inside: dict[str, list[str]] = defaultdict(list)
    outside: dict[str, list[str]] = defaultdict(list)
    for pk, text, language in Interview.objects.filter(study=study).values_list(
        "pk", "text", "language"
    ):
        pieces_in, pieces_out = split_text(text, spans.get(pk, []))
        inside[language] += pieces_in
        outside[language] += pieces_out
    target: dict[str, int] = defaultdict(int)
    rest: dict[str, int] = defaultdict(int)
    for language, pieces in inside.items():
        for word, count in nlp.word_counts(pieces, language).items():
            target[word] += count
    for language, pieces in outside.items():
        for word, count in nlp.word_counts(pieces, language).items():
            rest[word] += count
    keywords = rank_distinctive(target, rest, limit)
    return keywords, sum(target.values()), sum(rest.values())
