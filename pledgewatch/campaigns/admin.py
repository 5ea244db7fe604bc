"""Campaigns can be added in the admin (a chapter's other issue campaigns); strategy reviews and
their revisions change only through services.save_strategy, so they are read-only here."""

from django.contrib import admin

from pledgewatch.campaigns.models import Campaign, StrategyReview, StrategyRevision


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "chapter", "created_at"]
    list_filter = ["chapter"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # its strategy review and revisions are the chapter's record


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StrategyReview)
class StrategyReviewAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "decision", "decided_on", "updated_at"]
    list_filter = ["decision"]


@admin.register(StrategyRevision)
class StrategyRevisionAdmin(ReadOnlyAdmin):
    list_display = ["review", "number", "decision", "by", "at"]
