"""Helpers shared by the suggestion tests: indicator terms on the study's codes, a run."""

from codebook.suggestion_runs import start_run
from interviews.models import Interview, Turn


def give_terms(codes):
    codes["inhibitor"].indicator_terms = "budget\ntarget"
    codes["inhibitor"].save()
    codes["identity"].indicator_terms = 'let go\n[{"LOWER": "opening"}, {"LOWER": "doors"}]'
    codes["identity"].save()
    return codes


def add_interview(study, title, sentences):
    """An interview with one participant turn per sentence."""
    text = "\n\n".join(sentences)
    interview = Interview.objects.create(study=study, title=title, text=text)
    position = 0
    for sentence in sentences:
        Turn.objects.create(
            interview=interview,
            speaker="P",
            speaker_role="participant",
            start=position,
            end=position + len(sentence),
        )
        position += len(sentence) + 2
    return interview


def run_terms(study, coder, interview=None):
    return start_run(study, coder, "terms", interview, coder)
