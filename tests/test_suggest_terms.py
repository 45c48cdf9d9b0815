import pytest

from codebook.suggesting.pipeline import load_pipeline
from codebook.suggesting.records import CodeEntry, Turn
from codebook.suggesting.segments import (
    candidate_segments,
    parse_turns,
    segments_from_docs,
)
from codebook.suggesting.terms import TermsSuggester, terms_score

BUDGET = CodeEntry("budget", "Economy/Budget", ["budget", "cost cutting", "cost"])
COPRODUCTION = CodeEntry("coprod", "Co-production", ["co-produce", "Residents"])


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("en")


def suggest(nlp, codes, *turn_texts, interviewer=()):
    text = "\n".join(turn_texts)
    turns, start = [], 0
    for index, words in enumerate(turn_texts):
        turns.append(Turn(start, start + len(words), f"S{index}", index in interviewer))
        start += len(words) + 1
    suggester = TermsSuggester(codes, nlp)
    suggestions = suggester.suggest(text, candidate_segments(text, turns, nlp))
    # A run takes the other way (matches placed by token, not by offset): the same result.
    assert suggester.suggest_turns(parse_turns(text, turns, suggester.nlp)) == suggestions
    return [(text[s.start : s.end], s.code_id, s.explanation) for s in suggestions], suggestions


def test_it_finds_inflected_forms_through_lemmas(nlp):
    found, _ = suggest(nlp, [BUDGET, COPRODUCTION], "Budgets shrank. We were co-producing.")
    assert found == [
        ("Budgets shrank.", "budget", "matched: budget"),
        ("We were co-producing.", "coprod", "matched: co-produce"),
    ]


def test_it_matches_terms_regardless_of_case(nlp):
    found, _ = suggest(nlp, [COPRODUCTION], "RESIDENTS came.")
    assert found == [("RESIDENTS came.", "coprod", "matched: residents")]


def test_without_lemmas_it_still_matches_lower_case_forms():
    nlp = load_pipeline("xx")
    found, _ = suggest(nlp, [BUDGET], "The Budget. The budgets.")
    assert found == [("The Budget.", "budget", "matched: budget")]


def test_explanation_lists_distinct_terms_in_text_order(nlp):
    found, _ = suggest(nlp, [BUDGET], "Cost cutting hit the budget, and the budget again.")
    assert found[0][2] == "matched: cost cutting, budget"


def test_a_term_inside_a_longer_term_of_the_code_counts_once(nlp):
    _, suggestions = suggest(nlp, [BUDGET], "Cost cutting.")
    assert suggestions[0].explanation == "matched: cost cutting"
    assert suggestions[0].score == 0.5


def test_score_grows_with_distinct_terms_more_than_with_repeats():
    assert terms_score(1, 1) == 0.5
    assert terms_score(2, 2) == 0.75
    assert terms_score(1, 1) < terms_score(1, 2) < terms_score(2, 2)
    assert terms_score(30, 60) < 1


def test_adjacent_hits_merge_into_passages_of_up_to_three_sentences(nlp):
    turn = "A budget. Budget two. Budget three. Budget four. Nothing. Budget six."
    found, suggestions = suggest(nlp, [BUDGET], turn)
    assert [passage for passage, _, _ in found] == [
        "A budget. Budget two. Budget three.",
        "Budget four.",
        "Budget six.",
    ]
    assert suggestions[0].score == terms_score(1, 3)


def test_hits_in_different_turns_stay_apart(nlp):
    found, _ = suggest(nlp, [BUDGET], "The budget.", "The budget.")
    assert len(found) == 2


def test_interviewer_turns_get_no_suggestions(nlp):
    found, _ = suggest(nlp, [BUDGET], "What about the budget?", "No idea.", interviewer={0})
    assert found == []


def test_token_patterns_match_and_name_the_words(nlp):
    code = CodeEntry(
        7, "Together", [], [[{"LOWER": "we"}, {"LEMMA": "work"}, {"LOWER": "together"}]]
    )
    found, _ = suggest(nlp, [code], "Then we worked together.")
    assert found == [("Then we worked together.", 7, "matched: we worked together")]


def test_unusable_token_patterns_are_reported_not_raised(nlp):
    code = CodeEntry(8, "Odd", ["odd"], [[{"NOSUCH": "x"}], [{"POS": "NOUN"}]])
    suggester = TermsSuggester([code], nlp)
    reasons = [reason for _, reason in suggester.unusable_patterns]
    assert reasons[0].startswith("invalid pattern: ")
    assert reasons[1] == "the pipeline sets no POS"


def test_offsets_point_into_non_ascii_text(nlp):
    found, suggestions = suggest(nlp, [BUDGET], "Ærligt 😀 talt. Vores budget é grand.")
    assert found[0][0] == "Vores budget é grand."


def test_suggestions_carry_suggester_and_codebook_version(nlp):
    _, suggestions = suggest(nlp, [BUDGET], "The budget.")
    other = TermsSuggester([CodeEntry("budget", "Economy/Budget", ["money"])], nlp)
    assert suggestions[0].suggester == "terms"
    assert suggestions[0].model_version.startswith("terms-")
    assert suggestions[0].model_version != other.model_version


class CountingPipeline:
    """Delegate to a pipeline, counting the texts it is asked to process."""

    def __init__(self, nlp):
        self._nlp, self.texts = nlp, 0

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        self.texts += len(texts)
        return self._nlp.pipe(texts, **kwargs)

    def __getattr__(self, name):
        return getattr(self._nlp, name)


def test_it_runs_the_pipeline_once_per_turn_not_per_segment(nlp):
    text = "One budget. Two. Three budget.\nFour. Five budget."
    turns = [Turn(0, 30, "A", False), Turn(31, len(text), "B", False)]
    segments = candidate_segments(text, turns, nlp)
    suggester = TermsSuggester([BUDGET], nlp)
    counting = suggester.nlp = CountingPipeline(suggester.nlp)
    suggester.suggest(text, segments)
    assert (len(segments), counting.texts) == (5, 2)


def test_matching_is_a_pipe_of_the_suggesters_own_pipeline(nlp):
    suggester = TermsSuggester([BUDGET], nlp)
    assert suggester.nlp.pipe_names == [*nlp.pipe_names, "term_matcher"]
    assert "term_matcher" not in nlp.pipe_names  # the shared pipeline is left alone
    doc = suggester.nlp("The budgets.")
    assert [doc[start:end].text for _, start, end in doc.user_data["coprod_term_matches"]] == [
        "budgets"
    ]


def test_reusing_the_turn_docs_gives_the_same_suggestions(nlp):
    text = "Budgets shrank. Cost cutting hurt.\nThe cost."
    turns = [Turn(0, 34, "A", False), Turn(35, len(text), "B", False)]
    turn_docs = list(parse_turns(text, turns, nlp))
    segments = segments_from_docs(turn_docs)
    suggester = TermsSuggester([BUDGET], nlp)
    assert suggester.suggest(text, segments, turn_docs) == suggester.suggest(text, segments)


@pytest.mark.parametrize(
    "pattern, sentence",
    [
        (
            [{"LOWER": {"IN": ["we", "they"]}}, {"LEMMA": {"IN": ["collaborate", "unite"]}}],
            "They collaborated.",
        ),
        ([{"IS_DIGIT": True}, {"LOWER": "percent"}], "About 40 percent."),
        ([{"LOWER": "very", "OP": "*"}, {"LEMMA": "angry"}], "They were very angry."),
        ([{"LOWER": {"REGEX": "^coop"}}], "The Coops opened."),
        ([{"ORTH": "Council"}, {"LOWER": "meeting", "OP": "?"}], "The Council met."),
    ],
)
def test_token_patterns_of_every_shape_still_match(nlp, pattern, sentence):
    found, _ = suggest(nlp, [CodeEntry(9, "Shape", [], [pattern])], sentence)
    assert [code for _, code, _ in found] == [9]


def test_a_token_pattern_does_not_match_where_its_words_are_missing(nlp):
    code = CodeEntry(9, "Shape", [], [[{"LOWER": "we"}, {"LEMMA": "collaborate"}]])
    found, _ = suggest(nlp, [code], "We met. They collaborated.")
    assert found == []


def test_with_context_dependent_lemmas_it_matches_lemmas_and_lower_case():
    # spaCy's own lookup lemmatizer keys on the written form, like a trained
    # pipeline's lemmas depend on context: lower-case matching must run too.
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize()
    code = CodeEntry("b", "Budget", ["budget"], [[{"LOWER": "we"}, {"LEMMA": "cut"}]])
    found, _ = suggest(nlp, [code], "Budget talks. Our budgets. Then we cut.")
    assert [(passage, explanation) for passage, _, explanation in found] == [
        ("Budget talks. Our budgets. Then we cut.", "matched: budget, we cut")
    ]


def test_a_run_places_matches_like_offsets_do_around_odd_sentences(nlp):
    # Joined after "etc.", led by double spaces, only dashes, a blank line, a digit.
    found, _ = suggest(
        nlp, [BUDGET], "We had maps etc. and a budget.  — !  The cost.\n\nBudget  cuts. 3 budgets."
    )
    # Three neighbouring sentences with hits make one passage (the dashes are no
    # sentence); the fourth starts the next.
    assert found == [
        (
            "We had maps etc. and a budget.  — !  The cost.\n\nBudget  cuts.",
            "budget",
            "matched: budget, cost",
        ),
        ("3 budgets.", "budget", "matched: budget"),
    ]
