"""Pages of a study about its interviews and participants (under ``s/<slug>/``)."""

from django.urls import path

from interviews.views import corrections, importing, members, participants, settings

urlpatterns = [
    path("import/", importing.upload, name="import-interviews"),
    path("import/<int:pk>/", importing.adjust, name="pending-import"),
    path("participants/", participants.participant_list, name="participants"),
    path("interviews/<int:pk>/correct/", corrections.correct, name="correct-transcript"),
    path("interviews/<int:pk>/versions/", corrections.revision_list, name="interview-revisions"),
    path(
        "interviews/<int:pk>/versions/<int:number>/",
        corrections.revision_detail,
        name="interview-revision",
    ),
    path("settings/", settings.study_settings, name="study-settings"),
    path("members/", members.member_list, name="study-members"),
    path("members/<int:pk>/role/", members.member_role, name="study-member-role"),
    path("members/<int:pk>/remove/", members.member_remove, name="study-member-remove"),
]
