"""Run the suggestion engine over a study's interviews and store what it proposes.

This is the ORM side of ``codebook/suggesting/`` (which has no ORM). It is called by the
background task and the ``suggest`` command; spaCy is imported only by the engine's
functions, so importing this module stays cheap for the web process.

Blind coding: ``training_codings`` is the one place that decides which codings teach a
learned model. While a study is blind, a coder's model learns only from that coder's own
codings and the consensus layer.
"""

import functools
import json
import logging
from collections.abc import Callable, Hashable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from codebook.models import (
    Code,
    Coding,
    LearnedModel,
    Origin,
    RunStatus,
    Suggester,
    Suggestion,
    SuggestionRun,
    SuggestionStatus,
)
from codebook.suggesting import records
from codebook.suggestion_decisions import is_rejected
from interviews.models import Interview, SpeakerRole, Study

logger = logging.getLogger(__name__)

DEFAULT_RETRAIN_AFTER = 50


def retrain_after() -> int:
    """How many new training codings make a learned model stale (setting, default 50)."""
    return int(getattr(settings, "COPROD_SUGGEST_RETRAIN_AFTER", DEFAULT_RETRAIN_AFTER))


def pipeline_for(language: str):
    """Return the spaCy pipeline for the language: the trained one named in settings, or blank."""
    from codebook.suggesting.pipeline import load_pipeline

    trained = getattr(settings, "COPROD_SPACY_PIPELINES", {}).get(language)
    return load_pipeline(language or "en", trained)


def turns_of(interview: Interview) -> list[records.Turn]:
    """Return the interview's speaker turns as engine records (one query)."""
    rows = interview.turns.order_by("start").values_list("start", "end", "speaker", "speaker_role")
    turns = [
        records.Turn(start, end, speaker, role == SpeakerRole.INTERVIEWER)
        for start, end, speaker, role in rows
    ]
    # An interview imported without turns is one long turn.
    return turns or [records.Turn(0, len(interview.text), "", False)]


def code_entries(study: Study) -> list[records.CodeEntry]:
    """Return the applicable codes with their indicator terms and token patterns.

    An indicator-term line that is a JSON list (``[{"LEMMA": "cut"}, {"LOWER": "back"}]``)
    is a spaCy ``Matcher`` token pattern; every other line is a term.
    """
    codes = list(Code.objects.filter(study=study, grouping_only=False))
    by_id = {code.pk: code for code in Code.objects.filter(study=study)}
    entries = []
    for code in codes:
        terms, patterns = [], []
        for line in code.terms:
            if line.startswith("["):
                try:
                    pattern = json.loads(line)
                except ValueError:
                    pattern = None
                if isinstance(pattern, list) and pattern:
                    patterns.append(pattern)
                    continue
            terms.append(line)
        entries.append(records.CodeEntry(code.pk, code.path_in(by_id), terms, patterns or None))
    return entries


def training_codings(study: Study, coder) -> QuerySet[Coding]:
    """Return the codings a model for ``coder`` may learn from.

    Blind study: the coder's own codings and the consensus layer, nothing of other coders.
    Otherwise every coding of the study (one model serves everybody).
    """
    rows = Coding.objects.filter(interview__study=study, code__grouping_only=False)
    if study.blind_coding:
        rows = rows.filter(Q(coder=coder) | Q(origin=Origin.CONSENSUS))
    return rows


def model_owner(study: Study, coder):
    """Return whose model a coder's suggestions come from: theirs when blind, else the study's."""
    return coder if study.blind_coding else None


def training_examples(study: Study, coder) -> tuple[list, list[int], list[int]]:
    """Return (examples, groups, labels): one example per candidate sentence of coded interviews.

    A sentence carries every code whose codings cover at least half of it; the other
    sentences of those interviews are negatives. ``groups`` names each example's interview,
    for leave-one-interview-out scores. Interviews without a training coding are left out:
    their uncoded sentences are not known to be negatives.
    """
    from codebook.suggesting.evaluate import sentence_labels
    from codebook.suggesting.segments import candidate_segments

    spans_by_interview: dict[int, list[tuple[int, int, Hashable]]] = {}
    for interview_id, start, end, code_id in training_codings(study, coder).values_list(
        "interview_id", "start", "end", "code_id"
    ):
        spans_by_interview.setdefault(interview_id, []).append((start, end, code_id))
    examples, groups, labels = [], [], set()
    for interview in Interview.objects.filter(pk__in=spans_by_interview).order_by("pk"):
        nlp = pipeline_for(interview.language)
        segments = candidate_segments(interview.text, turns_of(interview), nlp)
        sentences = [(s.start, s.end) for s in segments]
        for (start, end), codes in zip(
            sentences,
            sentence_labels(spans_by_interview[interview.pk], sentences),
            strict=True,
        ):
            examples.append((interview.text[start:end], codes))
            groups.append(interview.pk)
            labels.update(codes)
    return examples, groups, sorted(labels)


def train_model(study: Study, coder, *, cross_validate: bool = True) -> LearnedModel | None:
    """Train and store the learned model ``coder`` gets suggestions from; None without codings.

    Cross-validation holds out whole interviews when there are at least two.
    """
    from codebook.suggesting.learned import LearnedSuggester

    owner = model_owner(study, coder)
    examples, groups, labels = training_examples(study, coder)
    if not labels:
        return None
    scores = None
    if cross_validate and len(set(groups)) >= 2:
        scores = LearnedSuggester.cross_validate(examples, labels, groups=groups)
    trained = LearnedSuggester.train(examples, labels, scores=scores)
    blob = trained.to_bytes()
    codings_seen = training_codings(study, coder).count()
    with transaction.atomic():
        model, _ = LearnedModel.objects.update_or_create(
            study=study,
            coder=owner,
            defaults={
                "blob": blob,
                "version": trained.version,
                "trained_at": timezone.now(),
                "size": len(blob),
                "labels": labels,
                "n_examples": len(examples),
                "codings_seen": codings_seen,
                "scores": scores.to_dict() if scores else None,
            },
        )
    return model


def model_needs_training(study: Study, coder) -> bool:
    """Whether the coder's model is missing or has seen ``retrain_after()`` fewer codings."""
    model = (
        LearnedModel.objects.filter(study=study, coder=model_owner(study, coder))
        .only("codings_seen", "labels")
        .first()
    )
    if model is None:
        return True
    # A restored backup renumbers codes: a model naming codes that are gone is stale.
    if not set(model.labels) <= set(Code.objects.filter(study=study).values_list("pk", flat=True)):
        return True
    return training_codings(study, coder).count() - model.codings_seen >= retrain_after()


def start_run(study: Study, coder, suggester: str, interview=None, requested_by=None):
    """Record a run and hand it to the task queue; return the run."""
    from codebook.tasks import run_suggestions

    with transaction.atomic():
        run = SuggestionRun.objects.create(
            study=study,
            interview=interview,
            suggester=suggester,
            coder=coder,
            requested_by=requested_by,
        )
    run_suggestions.enqueue(run.pk)
    run.refresh_from_db()
    return run


def execute_run(run: SuggestionRun, on_progress: Callable[[SuggestionRun], None] | None = None):
    """Do the run's work: train when needed, then suggest interview by interview.

    Progress (``done`` of ``total`` steps: one per interview, plus one for training) is
    saved after each step, so the page's progress bar can follow it.
    """
    study = run.study
    interviews = [run.interview] if run.interview else list(study.interviews.order_by("position"))
    train = run.suggester == Suggester.LEARNED and model_needs_training(study, run.coder)
    run.total = len(interviews) + (1 if train else 0)
    run.status, run.started, run.done = RunStatus.RUNNING, timezone.now(), 0
    run.save(update_fields=["total", "status", "started", "done"])
    try:
        suggester = _suggester_for(run, train, on_progress)
        if suggester is not None:
            for interview in interviews:
                run.suggested += store_suggestions(run, interview, suggester)
                _step(run, on_progress)
        run.status = RunStatus.DONE
    except Exception as error:
        logger.exception("suggestion run %s failed", run.pk)
        run.status, run.error = RunStatus.FAILED, f"{type(error).__name__}: {error}"
    run.finished = timezone.now()
    run.save(update_fields=["status", "error", "finished", "suggested", "done"])
    return run


def _step(run: SuggestionRun, on_progress) -> None:
    run.done += 1
    run.save(update_fields=["done", "suggested"])
    if on_progress:
        on_progress(run)


def _suggester_for(run: SuggestionRun, train: bool, on_progress):
    if run.suggester == Suggester.TERMS:
        return {}  # one TermsSuggester per language, built on first use
    if train:
        train_model(run.study, run.coder)
        _step(run, on_progress)
    model = LearnedModel.objects.filter(
        study=run.study, coder=model_owner(run.study, run.coder)
    ).first()
    if model is None:
        run.error = "No codings to learn from yet: code some passages first."
        return None
    from codebook.suggesting.learned import LearnedSuggester, TrainedModel

    return LearnedSuggester(TrainedModel.from_bytes(bytes(model.blob)))


def suggest_for(interview: Interview, suggester) -> list[records.Suggestion]:
    """Run one suggester over one interview.

    ``suggester`` is a ``LearnedSuggester``, or a dict in which terms suggesters are kept
    per language (building one compiles every code's patterns, so a run builds it once).
    """
    from codebook.suggesting.segments import parse_turns, segments_from_docs
    from codebook.suggesting.terms import TermsSuggester

    nlp = pipeline_for(interview.language)
    turn_docs = parse_turns(interview.text, turns_of(interview), nlp)
    segments = segments_from_docs(turn_docs)
    if isinstance(suggester, dict):
        if interview.language not in suggester:
            entries = [
                e for e in code_entries(interview.study) if e.indicator_terms or e.token_patterns
            ]
            suggester[interview.language] = TermsSuggester(entries, nlp) if entries else None
        terms = suggester[interview.language]
        if terms is None:
            return []
        return terms.suggest(interview.text, segments, turn_docs)
    return suggester.suggest(interview.text, segments)


def store_suggestions(run: SuggestionRun, interview: Interview, suggester) -> int:
    """Replace the coder's open suggestions of this suggester on the interview; return how many.

    Leaves out what the coder rejected before and what they have coded already.
    """
    found = suggest_for(interview, suggester)
    skip = is_rejected(interview.pk, run.coder_id) | set(
        Coding.objects.filter(interview=interview, coder=run.coder).values_list(
            "start", "end", "code_id"
        )
    )
    # Values shared by every row are read once: attribute lookups per row were a
    # measurable part of storing 10,000 suggestions.
    interview_id, coder_id, run_id, now = interview.pk, run.coder_id, run.pk, timezone.now()
    status = SuggestionStatus.OPEN.value
    rows = [
        (
            interview_id,
            s.code_id,
            coder_id,
            s.start,
            s.end,
            min(1.0, max(0.0, float(s.score))),
            s.suggester,
            s.model_version[:100],
            s.explanation,
            status,
            run_id,
            now,
        )
        for s in found
        if (s.start, s.end, s.code_id) not in skip
    ]
    with transaction.atomic():
        Suggestion.objects.filter(
            interview=interview,
            coder=run.coder,
            suggester=run.suggester,
            status__in=[SuggestionStatus.OPEN, SuggestionStatus.OUTDATED],
        ).delete()
        _insert_suggestions(rows)
    return len(rows)


_COLUMNS = (
    "interview_id",
    "code_id",
    "coder_id",
    "start",
    "end",
    "score",
    "suggester",
    "model_version",
    "explanation",
    "status",
    "run_id",
    "created",
)


def _insert_suggestions(rows: list[tuple]) -> None:
    """Insert many suggestions with one prepared statement.

    ``bulk_create`` spent more time building model instances and SQL than the rest of a
    run took (see docs/benchmarks.md); the database still checks every constraint.
    """
    if not rows:
        return
    table = Suggestion._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    # The rows of a call share one time: convert it for the database once, not per row.
    created = Suggestion._meta.get_field("created")
    times = {row[-1] for row in rows}
    prepared = {when: created.get_db_prep_save(when, connection=connection) for when in times}
    rows = [(*row[:-1], prepared[row[-1]]) for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})",
                rows[start : start + 1000],
            )


def retrain_when_stale(sender, instance: Coding, created: bool, raw: bool = False, **kwargs):
    """Handle a new coding: retrain its coder's learned model every ``retrain_after()`` codings.

    One query when the coder has no model (the usual case); the training runs in the
    background after the coding's transaction commits.
    """
    if not created or raw:
        return
    models = LearnedModel.objects.filter(
        Q(coder_id=instance.coder_id) | Q(coder__isnull=True),
        study__interviews=instance.interview_id,
    ).values_list("study_id", "codings_seen")
    for study_id, seen in models:
        study = Study.objects.get(pk=study_id)
        new = training_codings(study, instance.coder).count() - seen
        if new > 0 and new % retrain_after() == 0:
            from codebook.tasks import retrain_model

            transaction.on_commit(
                functools.partial(retrain_model.enqueue, study_id, instance.coder_id)
            )
