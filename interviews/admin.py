from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from interviews.admin_refusals import ListsRefusingRows
from interviews.models import (
    Interview,
    Membership,
    Participant,
    ParticipantAttribute,
    Study,
    Turn,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "blind_coding", "open_coding", "created"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "study", "role", "created"]
    list_filter = ["role", "study"]
    search_fields = ["user__username", "study__title"]
    list_select_related = ["user", "study"]


class AttributeInline(admin.TabularInline):
    model = ParticipantAttribute
    extra = 0


@admin.register(Participant)
class ParticipantAdmin(ListsRefusingRows, admin.ModelAdmin):
    list_display = ["label", "role", "organisation", "study"]
    list_filter = ["study"]
    search_fields = ["label", "role", "organisation"]
    list_select_related = ["study"]
    inlines = [AttributeInline]


@admin.register(ParticipantAttribute)
class ParticipantAttributeAdmin(admin.ModelAdmin):
    list_display = ["participant", "name", "value"]
    search_fields = ["participant__label", "name", "value"]
    list_select_related = ["participant"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["title", "study", "participant", "date", "language", "source_filename"]
    list_filter = ["study", "language"]
    search_fields = ["title", "source_filename", "participant__label"]
    list_select_related = ["study", "participant"]


@admin.register(Turn)
class TurnAdmin(admin.ModelAdmin):
    list_display = ["interview", "speaker", "speaker_role", "start", "end", "timestamp"]
    list_filter = ["speaker_role", "interview__study"]
    search_fields = ["speaker", "interview__title"]
    list_select_related = ["interview"]


# A user who coded, wrote memos or corrected transcripts cannot be deleted: say so.
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class CoprodUserAdmin(ListsRefusingRows, UserAdmin):
    pass
