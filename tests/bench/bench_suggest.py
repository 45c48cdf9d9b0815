"""Benchmark the suggestion engine on a generated interview study.

    python tests/bench/bench_suggest.py [--words 200000] [--seed 1]

Prints figures and asserts nothing about time: the machine is shared and its
speed varies. Targets: terms suggester >= 100,000 words/s end to end, overhead
on top of spaCy's own ``nlp.pipe`` < 30 %, training on 1,000 coded passages
< 30 s.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import itertools
import math
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from codebook.suggesting.evaluate import sentence_level_scores  # noqa: E402
from codebook.suggesting.records import CodeEntry, Turn  # noqa: E402

# Words that carry codes, each with inflected forms the lemma tables know.
INFLECTED = {
    "budget": ["budgets"],
    "cut": ["cuts", "cutting"],
    "resident": ["residents"],
    "council": ["councils"],
    "volunteer": ["volunteers", "volunteering"],
    "meeting": ["meetings"],
    "plan": ["plans", "planned", "planning"],
    "school": ["schools"],
    "parent": ["parents"],
    "child": ["children"],
    "trust": ["trusted", "trusting"],
    "conflict": ["conflicts"],
    "fund": ["funds", "funded"],
    "decide": ["decided", "decides"],
    "listen": ["listened", "listening"],
    "complain": ["complained", "complaints"],
    "garden": ["gardens"],
    "bus": ["buses"],
    "service": ["services"],
    "contract": ["contracts"],
    "manager": ["managers"],
    "network": ["networks"],
    "neighbour": ["neighbours"],
    "youth": ["youths"],
    "workshop": ["workshops"],
    "report": ["reports", "reported"],
    "staff": ["staffs"],
    "vote": ["votes", "voted"],
    "grant": ["grants"],
    "library": ["libraries"],
    "nurse": ["nurses"],
    "clinic": ["clinics"],
    "patient": ["patients"],
    "teacher": ["teachers"],
    "cost": ["costs"],
    "law": ["laws"],
    "rule": ["rules"],
    "design": ["designed", "designing"],
    "share": ["shared", "sharing"],
    "measure": ["measured", "measures"],
    "promise": ["promised", "promises"],
    "struggle": ["struggled", "struggles"],
    "train": ["trained", "training"],
    "fear": ["feared", "fears"],
    "hope": ["hoped", "hopes"],
    "elder": ["elders"],
    "migrant": ["migrants"],
    "tenant": ["tenants"],
    "landlord": ["landlords"],
    "protest": ["protests", "protested"],
}
# Spoken English that the word-frequency table does not give.
SPOKEN = [
    "um",
    "uh",
    "you know",
    "I mean",
    "don't",
    "I'm",
    "it's",
    "that's",
    "we've",
    "can't",
    "didn't",
    "they're",
    "wasn't",
    "Manager A.",
    "e.g.",
    "co-op",
    "20",
    "(laughs)",
    "--",
]


def english_words(limit: int = 30_000) -> tuple[list[str], list[float]]:
    """Return common English words and cumulative weights from spaCy's lookup data."""
    import spacy_lookups_data
    import srsly

    probabilities = srsly.read_gzip_json(spacy_lookups_data.get_file("en_lexeme_prob.json.gz"))
    ranked = sorted(probabilities.items(), key=lambda item: -item[1])[:limit]
    words = [(word, math.exp(p)) for word, p in ranked if word.isalpha() and word.islower()]
    return [w for w, _ in words], list(itertools.accumulate(weight for _, weight in words))


TERM_SYLLABLES = ["zu", "xa", "vo", "qui", "jy", "wex", "zo", "ux"]


@dataclass
class Study:
    interviews: list[tuple[str, list[Turn]]] = field(default_factory=list)
    # Per interview: gold codings as (start, end, code id).
    codings: list[list[tuple[int, int, str]]] = field(default_factory=list)
    codes: list[CodeEntry] = field(default_factory=list)


def make_codes(rng: random.Random, n_codes: int = 30) -> list[CodeEntry]:
    """Give each code about seven terms of its own: real and made-up words, phrases."""
    bases = list(INFLECTED)
    rng.shuffle(bases)
    made_up = iter(
        dict.fromkeys(
            "".join(rng.choice(TERM_SYLLABLES) for _ in range(3)) for _ in range(10 * n_codes)
        )
    )
    codes = []
    for index in range(n_codes):
        words = bases[index::n_codes] + [next(made_up) for _ in range(4)]
        terms = words + [f"{words[0]} {words[-1]}", f"{next(made_up)} {next(made_up)}"]
        patterns = [[{"LOWER": "we"}, {"LEMMA": words[0]}]] if index % 3 == 0 else None
        codes.append(CodeEntry(f"c{index}", f"Theme/Code {index}", terms, patterns))
    return codes


def make_study(words: int, seed: int, per_interview: int = 10_000) -> Study:
    """Generate interviews of interviewer questions and longer answers, some coded."""
    rng = random.Random(seed)
    words_, weights = english_words()
    study = Study(codes=make_codes(rng))

    def word() -> str:
        if rng.random() < 0.06:
            return rng.choice(SPOKEN)
        return rng.choices(words_, cum_weights=weights)[0]

    def sentence(code: CodeEntry | None) -> str:
        tokens = [word() for _ in range(rng.randint(6, 18))]
        if code is not None:
            for _ in range(rng.randint(1, 2)):
                term = rng.choice(code.indicator_terms).split()
                term[-1] = rng.choice([term[-1]] + INFLECTED.get(term[-1], []))
                position = rng.randrange(len(tokens))
                tokens[position:position] = term
        if rng.random() < 0.3:
            tokens[rng.randrange(1, len(tokens))] += ","
        tokens[0] = tokens[0].capitalize()
        return " ".join(tokens) + rng.choice([".", ".", ".", "?"])

    total = 0
    while total < words:
        text, turns, codings, count = "", [], [], 0
        while count < min(per_interview, words - total):
            question = sentence(None)
            turns.append(Turn(len(text), len(text) + len(question), "Interviewer", True))
            text += question + "\n"
            answer_start = len(text)
            sentences = []
            for _ in range(rng.randint(2, 8)):
                code = rng.choice(study.codes) if rng.random() < 0.25 else None
                run = rng.randint(1, 3) if code else 1
                passage_start = answer_start + sum(len(s) + 1 for s in sentences)
                for _ in range(run):
                    sentences.append(sentence(code))
                if code:
                    passage_end = answer_start + sum(len(s) + 1 for s in sentences) - 1
                    codings.append((passage_start, passage_end, code.id))
            answer = " ".join(sentences)
            turns.append(Turn(answer_start, answer_start + len(answer), "P1", False))
            text += answer + "\n"
            count += len(question.split()) + len(answer.split())
        study.interviews.append((text, turns))
        study.codings.append(codings)
        total += count
    return study


REPEATS = 7


def timed(function):
    """Return (result, wall seconds, CPU seconds) of calling ``function``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_terms(study: Study) -> None:
    from codebook.suggesting.pipeline import load_pipeline
    from codebook.suggesting.segments import parse_turns, segments_from_docs, sentence_spans
    from codebook.suggesting.terms import TermsSuggester

    nlp = load_pipeline("en")
    suggester = TermsSuggester(study.codes, nlp)
    turn_texts = [
        [text[t.start : t.end] for t in turns if not t.is_interviewer]
        for text, turns in study.interviews
    ]
    n_words = sum(len(t.split()) for texts in turn_texts for t in texts)
    # Warm the tokenizer cache and lemma table once, as a long-running worker would be.
    for _ in nlp.pipe(turn_texts[0], batch_size=64):
        pass

    def run_spacy():
        for texts in turn_texts:
            for _ in nlp.pipe(texts, batch_size=64):
                pass

    def run_ours():
        results = []
        for text, turns in study.interviews:
            turn_docs = list(parse_turns(text, turns, nlp))
            segments = segments_from_docs(turn_docs)
            results.append((segments, suggester.suggest(text, segments, turn_docs)))
        return results

    # Alternate the two runs so that a busy machine slows both alike, and keep
    # CPU time beside wall time: on a shared machine wall time says more
    # about the neighbours than about the code.
    spacy_times, ours_times = [], []
    for _ in range(REPEATS):
        spacy_times.append(timed(run_spacy)[1:])
        results, *ours = timed(run_ours)
        ours_times.append(tuple(ours))
    all_suggestions = [suggestions for _, suggestions in results]
    n_segments = sum(len(segments) for segments, _ in results)
    n_suggestions = sum(len(suggestions) for suggestions in all_suggestions)
    print(
        f"interviewee turn words: {n_words:,}; segments {n_segments:,}; "
        f"terms {sum(len(c.indicator_terms) for c in study.codes)}; "
        f"token patterns {sum(len(c.token_patterns or []) for c in study.codes)}"
    )
    figures = {}
    for label, times in (("spaCy nlp.pipe", spacy_times), ("terms suggester", ours_times)):
        wall, cpu = (min(t[i] for t in times) for i in (0, 1))
        figures[label] = (wall, cpu)
        print(
            f"{label:16}: {n_words / wall:>9,.0f} words/s wall, {n_words / cpu:>9,.0f} "
            f"words/s CPU (best of {REPEATS}: {wall:.2f} s, {cpu:.2f} s CPU)"
        )
    print(
        f"  pipeline: {' + '.join(nlp.pipe_names)}; terms suggester = segments + "
        f"matching + {n_suggestions:,} Suggestion objects"
    )
    for i, kind in enumerate(("wall", "CPU")):
        ratio = figures["terms suggester"][i] / figures["spaCy nlp.pipe"][i]
        print(f"overhead on top of spaCy ({kind}): {100 * (ratio - 1):.0f} %")
    print(f"peak memory so far: {peak_mb():.0f} MB")

    # Quality against the generated codings, in sentence units, interview by
    # interview (offsets of different interviews overlap).
    tp = fp = fn = 0
    for (text, turns), codings, suggestions in zip(
        study.interviews, study.codings, all_suggestions, strict=True
    ):
        sentences = sentence_spans(text, turns, nlp, include_interviewer=False)
        predicted = [(s.start, s.end, s.code_id) for s in suggestions]
        overall = sentence_level_scores(predicted, codings, sentences).overall
        tp, fp, fn = tp + overall.tp, fp + overall.fp, fn + overall.fn
    print(
        f"terms suggester against the generated codings (sentences): "
        f"precision {tp / max(1, tp + fp):.2f}, recall {tp / max(1, tp + fn):.2f}"
    )


def coded_examples(study: Study, n_coded: int, n_uncoded: int, seed: int):
    """Return (text, codes) examples and their interviews: coded passages, plain sentences."""
    from codebook.suggesting.pipeline import load_pipeline
    from codebook.suggesting.segments import sentence_spans

    rng = random.Random(seed)
    nlp = load_pipeline("en")
    coded, uncoded = [], []
    for index, ((text, turns), codings) in enumerate(
        zip(study.interviews, study.codings, strict=True)
    ):
        coded.extend(((text[s:e], {code}), index) for s, e, code in codings)
        covered = sorted((s, e) for s, e, _ in codings)
        for start, end in sentence_spans(text, turns, nlp, include_interviewer=False):
            if not any(s < end and start < e for s, e in covered):
                uncoded.append(((text[start:end], set()), index))
    picked = rng.sample(coded, min(n_coded, len(coded))) + rng.sample(
        uncoded, min(n_uncoded, len(uncoded))
    )
    return [example for example, _ in picked], [group for _, group in picked]


def bench_learned(study: Study, seed: int) -> None:
    from codebook.suggesting.learned import LearnedSuggester, TrainedModel
    from codebook.suggesting.pipeline import load_pipeline
    from codebook.suggesting.segments import candidate_segments

    labels = [code.id for code in study.codes]
    coded_only, _ = coded_examples(study, 1000, 0, seed)
    _, wall, cpu = timed(lambda: LearnedSuggester.train(coded_only, labels, seed=seed))
    print(
        f"learned: trained on {len(coded_only):,} coded passages, {len(labels)} labels: "
        f"{wall:.1f} s ({cpu:.1f} s CPU)"
    )

    # Uncoded sentences teach the model where codes are absent; a real study
    # should always include them.
    examples, groups = coded_examples(study, 1000, 1000, seed)
    model, wall, cpu = timed(lambda: LearnedSuggester.train(examples, labels, seed=seed))
    print(
        f"learned: trained on {len(examples):,} passages (1,000 coded + 1,000 uncoded): "
        f"{wall:.1f} s ({cpu:.1f} s CPU)"
    )
    blob = model.to_bytes()
    print(f"model blob {len(blob) / 1e6:.1f} MB; peak memory so far: {peak_mb():.0f} MB")

    restored = LearnedSuggester(TrainedModel.from_bytes(blob))
    nlp = load_pipeline("en")
    text, turns = study.interviews[-1]
    segments = candidate_segments(text, turns, nlp)
    n_words = sum(len(text[s.start : s.end].split()) for s in segments)
    passages = [text[s.start : s.end] for s in segments]
    runs = [timed(lambda: restored.model.predict(passages)) for _ in range(2)]
    wall, cpu = min(r[1] for r in runs), min(r[2] for r in runs)
    print(
        f"learned inference, scores only: {n_words / wall:,.0f} words/s "
        f"({n_words / cpu:,.0f} words/s CPU; best of 2)"
    )
    runs = [timed(lambda: restored.suggest(text, segments)) for _ in range(2)]
    suggestions = runs[0][0]
    wall, cpu = min(r[1] for r in runs), min(r[2] for r in runs)
    print(
        f"learned inference with explanations: {n_words / wall:,.0f} words/s "
        f"({n_words / cpu:,.0f} words/s CPU, best of 2; {len(segments):,} segments, "
        f"{len(suggestions):,} suggestions)"
    )

    report, wall, _ = timed(
        lambda: LearnedSuggester.cross_validate(examples, labels, groups=groups, folds=5, seed=seed)
    )
    print(
        f"learned, 5 folds of held-out interviews: micro P {report.overall.precision:.2f} "
        f"R {report.overall.recall:.2f} F1 {report.overall.f1:.2f}, macro F1 "
        f"{report.macro_f1:.2f} ({wall:.0f} s)"
    )
    print(f"peak memory: {peak_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-learned", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    # In a child process, so that the word-frequency table it reads does not
    # count in this process's peak memory.
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        study = pool.submit(make_study, args.words, args.seed).result()
    print(
        f"generated {len(study.interviews)} interviews, {args.words:,}+ words "
        f"in {time.perf_counter() - started:.1f} s"
    )
    bench_terms(study)
    if not args.skip_learned:
        bench_learned(study, args.seed)


if __name__ == "__main__":
    main()
