from django.contrib import admin

from pledgewatch.candidates.models import (
    CampaignCommittee,
    Candidate,
    ContactLogEntry,
    Office,
    Race,
)


class CampaignCommitteeInline(admin.TabularInline):
    model = CampaignCommittee
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "level", "state", "chapter"]
    list_filter = ["chapter", "level"]
    search_fields = ["name", "district"]


@admin.register(Race)
class RaceAdmin(admin.ModelAdmin):
    list_display = ["office", "kind", "party", "election_date", "filing_deadline", "chapter"]
    list_filter = ["chapter", "kind"]
    list_select_related = ["office"]
    date_hierarchy = "election_date"


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "chapter", "party", "race", "office_sought"]
    list_filter = ["chapter"]
    list_select_related = ["race__office"]
    search_fields = ["name", "office_sought"]
    inlines = [CampaignCommitteeInline]


@admin.register(ContactLogEntry)
class ContactLogEntryAdmin(admin.ModelAdmin):
    """Read-only here too: the contact log is append-only (a correction is a new entry)."""

    list_display = ["candidate", "kind", "happened_at", "logged_by"]
    list_filter = ["kind"]
    list_select_related = ["candidate", "logged_by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
