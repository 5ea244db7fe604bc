from django.contrib import admin

from pledgewatch.forums.models import (
    Forum,
    Invitation,
    Organization,
    OrganizationContact,
    SpeechEvaluation,
)


class OrganizationContactInline(admin.TabularInline):
    model = OrganizationContact
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "chapter", "kind"]
    list_filter = ["kind", "chapter"]
    search_fields = ["name"]
    inlines = [OrganizationContactInline]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ["organization", "candidate"]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["title", "chapter", "starts_at", "place", "is_public"]
    list_filter = ["chapter", "is_public"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    inlines = [InvitationInline]


@admin.register(SpeechEvaluation)
class SpeechEvaluationAdmin(admin.ModelAdmin):
    list_display = ["invitation", "evaluator", "rating", "at"]
    list_filter = ["rating"]
    raw_id_fields = ["invitation", "evaluator"]
