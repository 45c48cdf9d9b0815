from django.apps import AppConfig


class CodebookConfig(AppConfig):
    name = "codebook"
    verbose_name = "Codebook and coding"

    def ready(self) -> None:
        from codebook.anchoring import reanchor_on_correction
        from codebook.suggestion_decisions import outdate_on_correction
        from interviews.signals import transcript_corrected

        transcript_corrected.connect(
            reanchor_on_correction, sender=None, dispatch_uid="codebook-reanchor"
        )
        transcript_corrected.connect(
            outdate_on_correction, sender=None, dispatch_uid="codebook-outdate-suggestions"
        )
