"""Pages of a study about its interviews and its settings."""

from django.urls import path

from interviews.views import settings

urlpatterns = [
    path("settings/", settings.study_settings, name="study-settings"),
]
