from django.apps import AppConfig


class CodebookConfig(AppConfig):
    name = "codebook"
    verbose_name = "Codebook and coding"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save, pre_migrate

        from codebook.anchoring import reanchor_on_correction
        from codebook.codings import forget_history_on_correction
        from codebook.db_triggers import create_coding_triggers, drop_coding_triggers
        from codebook.models import Coding
        from codebook.suggestion_decisions import outdate_on_correction
        from codebook.suggestion_runs import retrain_when_stale
        from interviews.signals import transcript_corrected

        transcript_corrected.connect(
            reanchor_on_correction, sender=None, dispatch_uid="codebook-reanchor"
        )
        transcript_corrected.connect(
            outdate_on_correction, sender=None, dispatch_uid="codebook-outdate-suggestions"
        )
        transcript_corrected.connect(
            forget_history_on_correction, sender=None, dispatch_uid="codebook-forget-undo"
        )
        post_save.connect(
            retrain_when_stale, sender=Coding, dispatch_uid="codebook-retrain-suggestions"
        )
        pre_migrate.connect(
            drop_coding_triggers, sender=self, dispatch_uid="codebook-triggers-drop"
        )
        post_migrate.connect(
            create_coding_triggers, sender=self, dispatch_uid="codebook-triggers-create"
        )
