"""Sentence units: segmented once per text, cached, and by the suggestion engine when present."""

import os
import subprocess
import sys
import types

import pytest

from codebook.models import SentenceCache
from codebook.reliability import sentences
from codebook.reliability.sentences import sentence_spans_for, split_sentences

pytestmark = pytest.mark.django_db


def test_no_sentence_crosses_a_speaker_turn():
    # Without turns "you Fine." could run on; the turn boundary ends the sentence.
    text = "Hello there. How are you" + "\n" + "Fine. Thanks."
    spans = split_sentences(text, [(0, 24), (25, 38)], "en")
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


def test_it_uses_the_suggestion_engines_sentences_when_installed(interview, monkeypatch):
    calls = []

    def sentence_spans(text, turns, nlp, *, include_interviewer=True):
        calls.append((len(turns), turns[0].is_interviewer, include_interviewer, nlp))
        return [(turn.start, turn.end) for turn in turns]

    fake = {
        "codebook.suggesting": types.ModuleType("codebook.suggesting"),
        "codebook.suggesting.segments": types.SimpleNamespace(sentence_spans=sentence_spans),
        "codebook.suggesting.pipeline": types.SimpleNamespace(load_pipeline=lambda lang: lang),
        "codebook.suggesting.records": types.SimpleNamespace(
            Turn=lambda start, end, speaker, is_interviewer: types.SimpleNamespace(
                start=start, end=end, speaker=speaker, is_interviewer=is_interviewer
            )
        ),
    }
    fake["codebook.suggesting"].segments = fake["codebook.suggesting.segments"]
    fake["codebook.suggesting"].pipeline = fake["codebook.suggesting.pipeline"]
    fake["codebook.suggesting"].records = fake["codebook.suggesting.records"]
    for name, module in fake.items():
        monkeypatch.setitem(sys.modules, name, module)
    spans = sentence_spans_for([interview])[interview.pk]
    assert calls == [(4, True, True, "en")]
    assert spans == [(t.start, t.end) for t in interview.turns.all()]
    assert SentenceCache.objects.get().segmenter == sentences.SUGGESTING


def test_the_web_process_starts_without_spacy():
    code = (
        "import django, sys; django.setup(); import coprod.urls, codebook.views.agreement; "
        "print('spacy' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "coprod.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.strip() == "False", result.stderr
