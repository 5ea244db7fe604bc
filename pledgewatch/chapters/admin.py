from django.contrib import admin

from pledgewatch.chapters.models import Chapter, ChapterRole, Member, RosterImport


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "endorsement_threshold", "quorum_percent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(ChapterRole)
class ChapterRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "chapter", "role"]
    list_filter = ["role", "chapter"]
    search_fields = ["user__email", "chapter__name"]
    autocomplete_fields = ["user", "chapter"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "chapter", "status", "on_latest_roster"]
    list_filter = ["chapter", "status"]
    search_fields = ["first_name", "last_name", "email", "external_id"]

    def has_add_permission(self, request):
        return False  # members come from roster imports


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["pk", "chapter", "original_name", "status", "added", "changed", "lapsed"]
    list_filter = ["status", "chapter"]
    readonly_fields = [f.name for f in RosterImport._meta.fields]

    def has_add_permission(self, request):
        return False
