from django.apps import AppConfig


class CodebookConfig(AppConfig):
    name = "codebook"
    verbose_name = "Codebook and coding"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_migrate

        from codebook.anchoring import reanchor_on_correction
        from codebook.db_triggers import create_coding_triggers, drop_coding_triggers
        from interviews.signals import transcript_corrected

        transcript_corrected.connect(
            reanchor_on_correction, sender=None, dispatch_uid="codebook-reanchor"
        )
        pre_migrate.connect(
            drop_coding_triggers, sender=self, dispatch_uid="codebook-triggers-drop"
        )
        post_migrate.connect(
            create_coding_triggers, sender=self, dispatch_uid="codebook-triggers-create"
        )
