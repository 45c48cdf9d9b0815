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
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from codebook.models import (
    Code,
    Coding,
    LearnedModel,
    Origin,
    RunStatus,
    Suggester,
    SuggestionRun,
)
from codebook.suggesting import records
from codebook.suggestion_store import store_suggestions
from interviews.models import Interview, SpeakerRole, Study, Turn

logger = logging.getLogger(__name__)

DEFAULT_RETRAIN_AFTER = 50
# Seconds between saves of a run's progress; the run page polls every second.
PROGRESS_EVERY = 0.5


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
    return turns_of_interviews([interview])[interview.pk]


def turns_of_interviews(interviews: list[Interview]) -> dict[int, list[records.Turn]]:
    """Return each interview's speaker turns as engine records, by interview id (one query)."""
    by_interview: dict[int, list[records.Turn]] = {interview.pk: [] for interview in interviews}
    interviewer = SpeakerRole.INTERVIEWER.value
    rows = (
        Turn.objects.filter(interview__in=list(by_interview))
        .order_by("interview", "start")
        .values_list("interview_id", "start", "end", "speaker", "speaker_role")
    )
    for interview_id, start, end, speaker, role in rows:
        by_interview[interview_id].append(records.Turn(start, end, speaker, role == interviewer))
    for interview in interviews:
        # An interview imported without turns is one long turn.
        if not by_interview[interview.pk]:
            by_interview[interview.pk] = [records.Turn(0, len(interview.text), "", False)]
    return by_interview


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


_TERMS_SUGGESTERS: OrderedDict[tuple, Any] = OrderedDict()
_TERMS_SUGGESTERS_KEPT = 8
_terms_lock = threading.Lock()


def terms_suggester(study: Study, language: str):
    """Return the terms suggester for the study's codebook, or None when no code has terms.

    Building one compiles every code's patterns into a pipeline of its own (about 20 ms),
    so the worker keeps the last few, keyed by the codebook's fingerprint: an edited
    codebook gets a new one, and runs on an unchanged codebook share it.
    """
    from codebook.suggesting.terms import TermsSuggester, version

    entries = [e for e in code_entries(study) if e.indicator_terms or e.token_patterns]
    if not entries:
        return None
    nlp = pipeline_for(language)
    key = (nlp, version(entries, nlp))
    with _terms_lock:
        suggester = _TERMS_SUGGESTERS.get(key)
        if suggester is None:
            suggester = _TERMS_SUGGESTERS[key] = TermsSuggester(entries, nlp)
            while len(_TERMS_SUGGESTERS) > _TERMS_SUGGESTERS_KEPT:
                _TERMS_SUGGESTERS.popitem(last=False)
        _TERMS_SUGGESTERS.move_to_end(key)
    return suggester


def training_codings(study: Study, coder) -> QuerySet[Coding]:
    """Return the codings a model for ``coder`` may learn from.

    Blind study: the coder's own codings and the consensus layer, nothing of other coders.
    Otherwise every coding of the study (one model serves everybody).
    """
    # A lost coding's passage was deleted by a correction: there is nothing left to learn from.
    rows = Coding.objects.anchored().filter(interview__study=study, code__grouping_only=False)
    if study.blind_coding:
        rows = rows.filter(Q(coder=coder) | Q(origin=Origin.CONSENSUS))
    return rows


def model_owner(study: Study, coder):
    """Return whose model a coder's suggestions come from: theirs when blind, else the study's."""
    return coder if study.blind_coding else None


def training_examples(
    study: Study, coder, codings: QuerySet[Coding] | None = None
) -> tuple[list, list[int], list[int]]:
    """Return (examples, groups, labels): one example per candidate sentence of coded interviews.

    The labels come from ``codings``, by default those ``coder``'s model may learn from.

    A sentence carries every code whose codings cover at least half of it; the other
    sentences of those interviews are negatives. ``groups`` names each example's interview,
    for leave-one-interview-out scores. Interviews without a training coding are left out:
    their uncoded sentences are not known to be negatives.
    """
    from codebook.suggesting.evaluate import sentence_labels
    from codebook.suggesting.segments import candidate_segments

    spans_by_interview: dict[int, list[tuple[int, int, Hashable]]] = {}
    if codings is None:
        codings = training_codings(study, coder)
    for interview_id, start, end, code_id in codings.values_list(
        "interview_id", "start", "end", "code_id"
    ):
        spans_by_interview.setdefault(interview_id, []).append((start, end, code_id))
    examples, groups, labels = [], [], set()
    interviews = list(Interview.objects.filter(pk__in=spans_by_interview).order_by("pk"))
    turns = turns_of_interviews(interviews)  # one query, not one per interview
    for interview in interviews:
        nlp = pipeline_for(interview.language)
        segments = candidate_segments(interview.text, turns[interview.pk], nlp)
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
    saved after a step when ``PROGRESS_EVERY`` seconds have passed since it was last
    saved, so the page's progress bar (polling every second) can follow it; the last
    step is saved with the run's end. ``on_progress`` is called after every step.
    """
    study = run.study
    interviews = [run.interview] if run.interview else list(study.interviews.order_by("position"))
    train = run.suggester == Suggester.LEARNED and model_needs_training(study, run.coder)
    run.total = len(interviews) + (1 if train else 0)
    run.status, run.started, run.done = RunStatus.RUNNING, timezone.now(), 0
    run.save(update_fields=["total", "status", "started", "done"])
    progress = _Progress(run, on_progress)
    try:
        suggester = _suggester_for(run, train, progress)
        corrected = []
        if suggester is not None:
            turns = turns_of_interviews(interviews)
            for interview in interviews:
                found = suggest_for(interview, suggester, turns[interview.pk])
                stored = store_suggestions(run, interview, found)
                if stored is None:
                    corrected.append(interview.title)
                else:
                    run.suggested += stored
                progress.step()
        run.status = RunStatus.DONE
        if corrected:
            # Said on the run's page and panel: a log line would reach no coder.
            run.error = (
                f"No suggestions for {', '.join(f'“{t}”' for t in corrected)}: corrected "
                "during the run. Run Suggest again for the new text"
            )
    except Exception as error:
        logger.exception("suggestion run %s failed", run.pk)
        run.status, run.error = RunStatus.FAILED, f"{type(error).__name__}: {error}"
    run.finished = timezone.now()
    run.save(update_fields=["status", "error", "finished", "suggested", "done"])
    return run


class _Progress:
    """Count a run's steps; save them now and then (a write per interview cost more than
    matching did when interviews are short)."""

    def __init__(self, run: SuggestionRun, on_progress) -> None:
        self.run, self.on_progress = run, on_progress
        self.saved = time.monotonic()

    def step(self) -> None:
        run = self.run
        run.done += 1
        now = time.monotonic()
        if now - self.saved >= PROGRESS_EVERY:
            run.save(update_fields=["done", "suggested"])
            self.saved = now
        if self.on_progress:
            self.on_progress(run)


def _suggester_for(run: SuggestionRun, train: bool, progress: _Progress):
    if run.suggester == Suggester.TERMS:
        return {}  # one TermsSuggester per language, built on first use
    if train:
        train_model(run.study, run.coder)
        progress.step()
    model = LearnedModel.objects.filter(
        study=run.study, coder=model_owner(run.study, run.coder)
    ).first()
    if model is None:
        run.error = "No codings to learn from yet: code some passages first."
        return None
    from codebook.suggesting.learned import LearnedSuggester, TrainedModel

    return LearnedSuggester(TrainedModel.from_bytes(bytes(model.blob)))


def suggest_for(
    interview: Interview, suggester, turns: list[records.Turn] | None = None
) -> list[records.Suggestion]:
    """Run one suggester over one interview (``turns``: its turns, when read already).

    ``suggester`` is a ``LearnedSuggester``, or a dict in which terms suggesters are kept
    per language for the run.
    """
    from codebook.suggesting.segments import parse_turns, segments_from_docs

    if turns is None:
        turns = turns_of(interview)
    if isinstance(suggester, dict):
        if interview.language not in suggester:
            suggester[interview.language] = terms_suggester(interview.study, interview.language)
        terms = suggester[interview.language]
        if terms is None:
            return []
        # One pass of the suggester's pipeline gives both the sentences and the matches.
        return terms.suggest_turns(parse_turns(interview.text, turns, terms.nlp))
    nlp = pipeline_for(interview.language)
    return suggester.suggest(
        interview.text, segments_from_docs(parse_turns(interview.text, turns, nlp))
    )


def retrain_when_stale(sender, instance: Coding, created: bool, raw: bool = False, **kwargs):
    """Handle a new coding (``post_save``): see ``codings_added``."""
    if created and not raw:
        codings_added(
            Q(study__interviews=instance.interview_id), instance.coder_id, instance.origin
        )


def codings_added(study: Q | int, coder_id: int, origin: str, count: int = 1) -> None:
    """Retrain the learned models these new codings teach, every ``retrain_after()`` codings.

    ``study`` is the study's id (or a condition on ``LearnedModel`` naming it). Call it
    for codings made without ``save()`` (``bulk_create``), in their transaction, once for
    all of them. A consensus coding teaches every coder's model of a blind study, not only the model
    of the person who settled it. One query when no model is concerned (the usual case);
    the training runs in the background after the transaction commits.
    """
    concerned = Q(coder__isnull=True) | Q(coder_id=coder_id)
    if origin == Origin.CONSENSUS:
        concerned |= Q(coder__isnull=False)
    of_study = study if isinstance(study, Q) else Q(study_id=study)
    models = LearnedModel.objects.filter(concerned, of_study).values_list(
        "study_id", "study__blind_coding", "coder_id", "codings_seen"
    )
    every = retrain_after()
    for study_id, blind, model_coder_id, seen in models:
        # Only the models in use: per coder while blind, the study's one otherwise.
        if blind != (model_coder_id is not None):
            continue
        owner = model_coder_id or coder_id
        study = Study(pk=study_id, blind_coding=blind)
        new = training_codings(study, owner).count() - seen
        # Crossed a multiple of ``every`` (several codings may come at once).
        if new > 0 and new // every > (new - count) // every:
            from codebook.tasks import retrain_model

            transaction.on_commit(functools.partial(retrain_model.enqueue, study_id, owner))
