from django.contrib import admin

from pledgewatch.finance.models import (
    ChapterPolicy,
    ConflictOrganization,
    FecCommittee,
    FinanceImport,
    Finding,
    FindingReview,
    NeverFlagEntry,
    StoredFiling,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Imported records, findings and reviews change only through the app's own services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChapterPolicy)
class ChapterPolicyAdmin(ReadOnlyAdmin):
    list_display = ["name", "chapter", "version", "updated_at"]


@admin.register(ConflictOrganization)
class ConflictOrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "policy", "tier", "industry"]
    list_filter = ["tier", "industry"]
    search_fields = ["name"]


@admin.register(NeverFlagEntry)
class NeverFlagEntryAdmin(ReadOnlyAdmin):
    list_display = ["name", "policy", "reason"]


@admin.register(FinanceImport)
class FinanceImportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "candidate", "kind", "original_name", "status", "contributions_added"]
    list_filter = ["status", "kind"]


@admin.register(StoredFiling)
class StoredFilingAdmin(ReadOnlyAdmin):
    list_display = ["filing_id", "candidate", "form_type", "report_code", "superseded_by"]
    search_fields = ["filing_id", "committee_id"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "candidate", "entity_name", "tier", "rule", "net_amount", "status"]
    list_filter = ["status", "tier", "rule"]


@admin.register(FindingReview)
class FindingReviewAdmin(ReadOnlyAdmin):
    list_display = ["finding", "status", "by", "at"]


@admin.register(FecCommittee)
class FecCommitteeAdmin(ReadOnlyAdmin):
    list_display = ["committee_id", "name", "connected_org", "committee_type", "source",
                    "loaded_at"]  # fmt: skip
    list_filter = ["committee_type", "org_type", "source"]
    search_fields = ["committee_id", "name", "connected_org"]
