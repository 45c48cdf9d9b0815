from django.contrib import admin

from codebook.models import Code, Coding, Memo
from interviews.admin_refusals import ListsRefusingRows


@admin.register(Code)
class CodeAdmin(ListsRefusingRows, admin.ModelAdmin):
    list_display = ["name", "parent", "study", "colour", "shortcut", "grouping_only", "position"]
    list_filter = ["study", "grouping_only"]
    search_fields = ["name", "definition", "indicator_terms"]
    list_select_related = ["parent", "study"]


@admin.register(Coding)
class CodingAdmin(admin.ModelAdmin):
    list_display = ["code", "interview", "coder", "start", "end", "origin", "anchor_status"]
    list_filter = ["origin", "anchor_status", "interview__study"]
    search_fields = ["quote", "memo", "code__name", "coder__username"]
    list_select_related = ["code", "interview", "coder"]
    raw_id_fields = ["interview", "code"]


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "study", "interview", "code", "author", "updated"]
    list_filter = ["study"]
    search_fields = ["title", "text"]
    list_select_related = ["study", "interview", "code", "author"]
