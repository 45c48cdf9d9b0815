"""Sentence units: segmented once per text, cached, and by the suggestion engine when present."""

from types import SimpleNamespace

import pytest

from codebook.models import SentenceCache
from codebook.reliability import sentences
from codebook.reliability.sentences import sentence_spans_for, split_sentences
from tests.fresh_interpreter import heavy_modules_loaded

pytestmark = pytest.mark.django_db


def test_no_sentence_crosses_a_speaker_turn():
    # Without turns "you Fine." could run on; the turn boundary ends the sentence.
    text = "Hello there. How are you" + "\n" + "Fine. Thanks."
    turns = [
        SimpleNamespace(start=0, end=24, speaker="A", speaker_role=""),
        SimpleNamespace(start=25, end=38, speaker="B", speaker_role=""),
    ]
    spans = split_sentences(text, turns, "en")
    assert [text[s:e] for s, e in spans] == ["Hello there.", "How are you", "Fine.", "Thanks."]


def test_it_caches_sentences_until_the_text_changes(interview, django_assert_num_queries):
    first = sentence_spans_for([interview])[interview.pk]
    assert first and SentenceCache.objects.count() == 1
    with django_assert_num_queries(1):
        assert sentence_spans_for([interview])[interview.pk] == first
    interview.text = interview.text.replace("Yes –", "Yes, well –")
    interview.save()
    changed = sentence_spans_for([interview])[interview.pk]
    assert changed != first
    assert SentenceCache.objects.count() == 1


def test_agreement_counts_the_suggestion_engines_sentences(interview):
    from codebook.suggesting import segments
    from codebook.suggesting.pipeline import load_pipeline
    from codebook.suggesting.records import Turn

    records = [
        Turn(t.start, t.end, t.speaker, t.speaker_role == "interviewer")
        for t in interview.turns.all()
    ]
    expected = segments.sentence_spans(interview.text, records, load_pipeline("en"))
    assert sentence_spans_for([interview])[interview.pk] == list(expected)
    assert SentenceCache.objects.get().segmenter == sentences.SEGMENTER


def test_the_web_process_starts_without_spacy():
    imports = "import coprod.urls, codebook.views.agreement"
    assert heavy_modules_loaded(imports, ["spacy"]) == []
