"""Background tasks (Django's tasks framework; the worker is django-tasks-db's ``db_worker``).

Arguments are primary keys: a task may run in another process, later.
"""

from django.tasks import task

from codebook.models import SuggestionRun


@task
def run_suggestions(run_id: int) -> int:
    """Carry out one suggestion run; return how many suggestions it stored."""
    from codebook.suggestion_runs import execute_run

    run = SuggestionRun.objects.select_related("study", "interview", "coder").get(pk=run_id)
    return execute_run(run).suggested


@task
def evaluate_suggesters(study_id: int) -> None:
    """Recompute the study's suggestion quality figures."""
    from codebook.suggestion_quality import evaluate_study
    from interviews.models import Study

    evaluate_study(Study.objects.get(pk=study_id))


@task
def retrain_model(study_id: int, coder_id: int) -> None:
    """Train the learned model the coder gets suggestions from, again."""
    from django.contrib.auth import get_user_model

    from codebook.suggestion_runs import train_model
    from interviews.models import Study

    train_model(Study.objects.get(pk=study_id), get_user_model().objects.get(pk=coder_id))
