"""Benchmark suggestions end to end, through the database: ``python manage.py bench suggest``.

Generates a throwaway study (interviews of interviewer questions and longer answers, a
codebook of 30 codes with indicator terms, one coder), then measures, in one process:

- spaCy's own ``nlp.pipe`` over the interviewee turns, with the pipeline the run uses
  (sentencizer, lemmatizer and the term matcher), and without the term matcher;
- the same pipeline with the terms suggester's own work on the docs (candidate sentences,
  each match's sentence, passages, scores, explanations), from turns in memory and
  without the database, to tell our share of the overhead from the database's;
- a terms-suggester run over the whole study as the worker does it (``execute_run``:
  turns from the database, segments, matching, rejections looked up, suggestions
  stored), as a coder's first run and as a run replacing the previous one's suggestions;
- training the learned suggester on 1,000 coded passages (plus the uncoded sentences of
  their interviews) and a learned run over one interview.

Everything it made is deleted at the end. Prints figures, asserts nothing about time.
"""

import random
import time

from django.contrib.auth import get_user_model
from django.db import connection

from codebook.models import Code, Coding, Suggestion, SuggestionRun
from codebook.suggesting.segments import BATCH_SIZE, parse_turns, spoken_span
from codebook.suggestion_runs import (
    execute_run,
    pipeline_for,
    terms_suggester,
    train_model,
    turns_of,
    turns_of_interviews,
)
from interviews.models import Interview, Membership, Role, Study, Turn

HELP = "Suggest codings for a generated study and train the learned suggester; print figures."

WORDS = (  # noqa: SIM905 (a word list reads better as text)
    "the and to of a in that it we was for with on they is but you this had so be have not "
    "at what there people were all about when one from would like just our more can do "
    "them really very which said because then think know time work how did out up also "
    "get some well things other could into see going who been new if way much year make "
    "city team long first only over after said money place school house service week "
    "staff family change plan help local group public meeting project council health"
).split()
TERMS = (  # noqa: SIM905
    "budget cut resident council volunteer meeting plan school parent child trust conflict "
    "fund decide listen complain garden bus service contract manager network neighbour youth "
    "workshop report vote grant library nurse clinic patient teacher cost law rule design "
    "share measure promise struggle train fear hope elder migrant tenant landlord protest"
).split()
INFLECTIONS = {"budget": "budgets", "cut": "cuts", "plan": "planned", "trust": "trusted"}


def add_arguments(parser):
    parser.add_argument("--words", type=int, default=200_000, help="words in the study")
    parser.add_argument("--coded", type=int, default=1_000, help="coded passages to learn from")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--seed", type=int, default=1)


def run(out, *, words, coded, repeat, seed, **_):
    # Committed as the worker commits (one transaction per interview), then deleted: in
    # one rolled-back transaction, PostgreSQL kept every replaced row visible to the
    # index scans of the next run, which made replacing look four times slower.
    made: list = []
    try:
        _measure(out, words, coded, repeat, seed, made)
    finally:
        _delete(made)


def _delete(made: list) -> None:
    """Delete what the benchmark made, the study before its coder.

    The database deletes the study's rows with it (its foreign keys cascade), codings included.
    """
    for row in reversed(made):
        type(row).objects.filter(pk=row.pk).delete()


def _measure(stdout, n_words, n_coded, repeat, seed, made):
    rng = random.Random(seed)
    study, coder, codes = _make_study(rng, made)
    interviews = _make_interviews(rng, study, codes, n_words)
    # The very pipeline the runs use (kept per codebook): sentencizer, lemmatizer and the
    # term matcher, which finds the codebook's terms inside nlp.pipe.
    suggester = terms_suggester(study, "en")
    nlp = suggester.nlp
    base = pipeline_for("en")  # the same without the term matcher, for comparison
    # Exactly the texts a run hands to spaCy: each interviewee turn's spoken span.
    texts = []
    for interview in interviews:
        spans = [
            spoken_span(interview.text, t) for t in turns_of(interview) if not t.is_interviewer
        ]
        texts.append([interview.text[start:end] for start, end in spans if end > start])
    words = sum(len(t.split()) for turn_texts in texts for t in turn_texts)
    for _ in nlp.pipe(texts[0]):  # warm the caches, as a long-running worker would be
        pass

    def spacy_alone(pipeline):
        def parse():
            for turn_texts in texts:
                for _ in pipeline.pipe(turn_texts, batch_size=BATCH_SIZE):
                    pass

        return parse

    turns = turns_of_interviews(interviews)

    def suggesting_alone():
        # What a run does between reading the turns and storing: no database.
        for interview in interviews:
            suggester.suggest_turns(parse_turns(interview.text, turns[interview.pk], nlp))

    def ours():
        run = SuggestionRun.objects.create(study=study, suggester="terms", coder=coder)
        execute_run(run)
        return run

    def first_run():
        # The coder's first run: no open suggestions of theirs to replace.
        Suggestion.objects.filter(coder=coder).delete()
        return _timed_both(ours)

    # Alternate the measurements, so all see the same load on a shared machine; CPU time
    # (time.process_time) is steadier than wall time there. SQLite runs in this process,
    # so the database's work counts in the CPU time too (PostgreSQL's does not).
    timings: dict[str, list[tuple[float, float]]] = {}
    for _ in range(repeat):
        for name, measure in (
            ("spacy", lambda: _timed_both(spacy_alone(nlp))),
            ("base", lambda: _timed_both(spacy_alone(base))),
            ("suggesting", lambda: _timed_both(suggesting_alone)),
            ("first", first_run),
            ("rerun", lambda: _timed_both(ours)),
        ):
            done, wall, cpu = measure()
            timings.setdefault(name, []).append((wall, cpu))
            if name in ("first", "rerun"):
                suggested, status = done.suggested, done.status
    best = {name: (min(w for w, _ in t), min(c for _, c in t)) for name, t in timings.items()}
    stdout.write(
        f"study: {len(interviews)} interviews, {words:,} interviewee words "
        f"({n_words:,} with the questions), {len(codes)} codes; database "
        f"{connection.vendor}; best of {repeat}"
    )

    def line(label, name):
        wall, cpu = best[name]
        return (
            f"{label:<38}: {words / wall:>9,.0f} words/s ({wall:.3f} s wall); "
            f"CPU {words / cpu:,.0f} words/s ({cpu:.3f} s)"
        )

    stdout.write(line(f"spaCy nlp.pipe alone ({' + '.join(nlp.pipe_names)})", "spacy"))
    stdout.write(line("  the same without the term matcher", "base"))
    stdout.write(line("spaCy + finding suggestions, no database", "suggesting"))
    stdout.write(
        line("terms run, end to end, first run", "first")
        + f"; {suggested:,} suggestions stored, status {status}"
    )
    stdout.write(line("terms run, end to end, replacing a run", "rerun"))
    for label, name in (("first run", "first"), ("replacing a run", "rerun")):
        (spacy_wall, spacy_cpu), (wall, cpu) = best["spacy"], best[name]
        stdout.write(
            f"overhead on top of spaCy (end to end / spaCy - 1), {label}: wall "
            f"{100 * (wall / spacy_wall - 1):.0f} %, CPU {100 * (cpu / spacy_cpu - 1):.0f} %"
        )
    (spacy_wall, spacy_cpu), (wall, cpu) = best["spacy"], best["suggesting"]
    first_wall, first_cpu = best["first"]
    stdout.write(
        "  of a first run's overhead, finding suggestions: wall "
        f"{100 * (wall / spacy_wall - 1):.0f} %, CPU {100 * (cpu / spacy_cpu - 1):.0f} %; "
        "the database and the run's bookkeeping: wall "
        f"{100 * (first_wall - wall) / spacy_wall:.0f} %, "
        f"CPU {100 * (first_cpu - cpu) / spacy_cpu:.0f} %"
    )
    stdout.write(f"peak memory so far: {_peak_mb():.0f} MB")

    _code_passages(rng, interviews, codes, coder, n_coded)
    model, wall = _timed(lambda: train_model(study, coder, cross_validate=False))
    stdout.write(
        f"learned: trained on {model.n_examples:,} sentences ({n_coded:,} coded passages and "
        f"the uncoded sentences of their interviews), {len(model.labels)} codes: {wall:.1f} s; "
        f"model {model.size / 1e6:.1f} MB"
    )
    fresh = interviews[-1]
    fresh_words = sum(len(t.split()) for t in texts[-1])
    run = SuggestionRun.objects.create(
        study=study, interview=fresh, suggester="learned", coder=coder
    )
    _, wall = _timed(lambda: execute_run(run))
    stdout.write(
        f"learned run over one interview ({fresh_words:,} words, model loaded from the "
        f"database, explanations included): {fresh_words / wall:,.0f} words/s ({wall:.2f} s, "
        f"{run.suggested:,} suggestions)"
    )
    stdout.write(f"peak memory: {_peak_mb():.0f} MB")


def _make_study(rng, made):
    User = get_user_model()
    coder = User.objects.create(username=f"bench-coder-{rng.random()}"[:150])
    made.append(coder)
    study = Study.objects.create(
        title="Suggestion benchmark", slug=f"bench-suggest-{rng.random()}"[:50]
    )
    made.append(study)
    Membership.objects.create(study=study, user=coder, role=Role.CODER)
    terms = TERMS[:]
    rng.shuffle(terms)
    codes = [
        Code.objects.create(
            study=study,
            name=f"Code {n}",
            indicator_terms="\n".join(terms[n::30] + [f"{terms[n]} plan"]),
        )
        for n in range(30)
    ]
    return study, coder, codes


def _make_interviews(rng, study, codes, n_words, per_interview=10_000):
    interviews, total = [], 0
    while total < n_words:
        text, spans, count = "", [], 0
        while count < min(per_interview, n_words - total):
            question = _sentence(rng, None)
            spans.append((len(text), len(text) + len(question), "interviewer"))
            text += question + "\n\n"
            answer = " ".join(
                _sentence(rng, rng.choice(codes) if rng.random() < 0.25 else None)
                for _ in range(rng.randint(2, 8))
            )
            spans.append((len(text), len(text) + len(answer), "participant"))
            text += answer + "\n\n"
            count += len(question.split()) + len(answer.split())
        interview = Interview.objects.create(
            study=study, title=f"Interview {len(interviews) + 1}", text=text.rstrip("\n")
        )
        Turn.objects.bulk_create(
            Turn(interview=interview, speaker=role.title(), speaker_role=role, start=s, end=e)
            for s, e, role in spans
        )
        interviews.append(interview)
        total += count
    return interviews


def _sentence(rng, code):
    tokens = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    if code is not None:
        term = rng.choice(code.terms).split()
        term[-1] = INFLECTIONS.get(term[-1], term[-1]) if rng.random() < 0.5 else term[-1]
        position = rng.randrange(len(tokens))
        tokens[position:position] = term
    tokens[0] = tokens[0].capitalize()
    return " ".join(tokens) + rng.choice([".", ".", "?"])


def _code_passages(rng, interviews, codes, coder, n_coded):
    """Code ``n_coded`` sentences holding a code's term, interview by interview."""
    rows = []
    # Keep the last interview unseen for the learned run, when there is more than one.
    for interview in interviews[:-1] or interviews:
        text = interview.text
        for turn in turns_of(interview):
            if turn.is_interviewer:
                continue
            start = turn.start
            for sentence in text[turn.start : turn.end].split(". "):
                end = start + len(sentence)
                words = set(sentence.lower().split())
                code = next((c for c in codes if words & set(c.terms)), None)
                if code is not None and end > start:
                    rows.append(
                        Coding(
                            interview=interview,
                            code=code,
                            coder=coder,
                            start=start,
                            end=end,
                            quote=text[start:end],
                        )
                    )
                start = end + 2
        if len(rows) >= n_coded:
            break
    Coding.objects.bulk_create(rows[:n_coded])


def _timed_both(function):
    """Return (result, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _peak_mb() -> float:
    """The process's own peak resident memory (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0
