from django.apps import AppConfig
from django.db.models.signals import pre_save


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self) -> None:
        from interviews.models import Interview, count_text_length

        pre_save.connect(count_text_length, sender=Interview, dispatch_uid="interview-text-length")
