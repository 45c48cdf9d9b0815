"""Honest quality figures for the suggesters, against a study's human codings.

Counted in sentences (``suggesting.evaluate``): a sentence carries a code when that code's
passages cover at least half of it. The gold standard is every coding of the study by any
coder, pooled, but for accepted suggestions (a suggester would be scored against its own
output) and lost codings (their passage is gone); the terms suggester is scored on every
interview, the learned suggester leave-one-interview-out (a model never scores the interview
it learned from). Acceptance in use comes from the coders' decisions on stored suggestions.
"""

from django.db import transaction
from django.db.models import Count, Q

from codebook.models import (
    Code,
    Coding,
    Origin,
    Suggester,
    Suggestion,
    SuggestionQuality,
    SuggestionStatus,
)
from codebook.suggesting import records
from interviews.models import Study


def evaluate_terms(study: Study) -> tuple[dict, int]:
    """Score the terms suggester on every interview; return (report dict, sentences)."""
    from codebook.suggesting.evaluate import label_set_scores, sentence_labels
    from codebook.suggesting.segments import parse_turns, segments_from_docs
    from codebook.suggestion_runs import code_entries, pipeline_for, terms_suggester, turns_of

    entries = [e for e in code_entries(study) if e.indicator_terms or e.token_patterns]
    gold = _gold_spans(study)
    predicted_labels: list[set] = []
    gold_labels: list[set] = []
    for interview in study.interviews.order_by("position", "pk"):
        terms = terms_suggester(study, interview.language)
        # The suggester's pipeline gives the same sentences, and the matches with them.
        nlp = terms.nlp if terms is not None else pipeline_for(interview.language)
        turn_docs = list(parse_turns(interview.text, turns_of(interview), nlp))
        segments = segments_from_docs(turn_docs)
        sentences = [(s.start, s.end) for s in segments]
        found: list[records.Suggestion] = []
        if terms is not None:
            found = terms.suggest(interview.text, segments, turn_docs)
        predicted_labels += sentence_labels([(s.start, s.end, s.code_id) for s in found], sentences)
        gold_labels += sentence_labels(gold.get(interview.pk, []), sentences)
    labels = [e.id for e in entries] or None
    report = label_set_scores(predicted_labels, gold_labels, labels=labels)
    return report.to_dict(), len(gold_labels)


def evaluate_learned(study: Study) -> tuple[dict | None, int]:
    """Score the learned suggester leave-one-interview-out on all coders' codings."""
    from codebook.suggesting.learned import LearnedSuggester
    from codebook.suggestion_runs import training_examples

    # One study-wide view (coder None, blind off): this page is for supervisors.
    unblind = Study(pk=study.pk, blind_coding=False)
    examples, groups, labels = training_examples(unblind, None, gold_codings(study))
    if not labels or len(set(groups)) < 2:
        return None, len(examples)
    report = LearnedSuggester.cross_validate(examples, labels, groups=groups)
    return report.to_dict(), len(examples)


def evaluate_study(study: Study, suggesters=(Suggester.TERMS, Suggester.LEARNED)) -> dict:
    """Evaluate the suggesters and store their reports; return {suggester: (report, sentences)}."""
    results = {}
    for suggester in suggesters:
        evaluate = evaluate_terms if suggester == Suggester.TERMS else evaluate_learned
        report, sentences = evaluate(study)
        results[suggester] = (report, sentences)
        if report is not None:
            with transaction.atomic():
                SuggestionQuality.objects.update_or_create(
                    study=study,
                    suggester=suggester,
                    defaults={"report": report, "sentences": sentences},
                )
    return results


def acceptance_rates(study: Study) -> dict[int, dict[str, int]]:
    """Return per code id the decided suggestions: accepted, rejected (one grouped query)."""
    rows = (
        Suggestion.objects.filter(interview__study=study)
        .values("code_id")
        .annotate(
            accepted=Count("pk", filter=Q(status=SuggestionStatus.ACCEPTED)),
            rejected=Count("pk", filter=Q(status=SuggestionStatus.REJECTED)),
        )
    )
    return {
        row["code_id"]: {"accepted": row["accepted"], "rejected": row["rejected"]} for row in rows
    }


def quality_rows(study: Study) -> tuple[list[dict], dict]:
    """Rows for the page and the command: one per code, with each suggester's scores.

    Returns (rows, overall) where overall maps suggester to its pooled scores and macro F1.
    """
    codes = list(Code.objects.filter(study=study))
    by_id = {code.pk: code for code in codes}
    reports = {q.suggester: q for q in SuggestionQuality.objects.filter(study=study)}
    rates = acceptance_rates(study)
    per_code = {
        suggester: {row["code"]: row for row in quality.report["per_code"]}
        for suggester, quality in reports.items()
    }
    rows = []
    for code in codes:
        if code.grouping_only:
            continue
        rate = rates.get(code.pk, {"accepted": 0, "rejected": 0})
        decided = rate["accepted"] + rate["rejected"]
        rows.append(
            {
                "path": code.path_in(by_id),
                "scores": {s: per_code[s].get(code.pk) for s in per_code},
                "accepted": rate["accepted"],
                "decided": decided,
                "acceptance": rate["accepted"] / decided if decided else None,
            }
        )
    rows.sort(key=lambda row: row["path"].lower())
    overall = {
        suggester: {
            **quality.report["overall"],
            "macro_f1": quality.report["macro_f1"],
            "sentences": quality.sentences,
            "evaluated": quality.evaluated,
        }
        for suggester, quality in reports.items()
    }
    return rows, overall


def gold_codings(study: Study):
    """The codings the suggesters are scored against: people's, on their passages."""
    return (
        Coding.objects.anchored()
        .filter(interview__study=study, code__grouping_only=False)
        .exclude(origin=Origin.SUGGESTION)
    )


def _gold_spans(study: Study) -> dict[int, list[tuple[int, int, int]]]:
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for interview_id, start, end, code_id in gold_codings(study).values_list(
        "interview_id", "start", "end", "code_id"
    ):
        spans.setdefault(interview_id, []).append((start, end, code_id))
    return spans
