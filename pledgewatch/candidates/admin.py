from django.contrib import admin

from pledgewatch.candidates.models import CampaignCommittee, Candidate


class CampaignCommitteeInline(admin.TabularInline):
    model = CampaignCommittee
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "chapter", "party", "office_sought"]
    list_filter = ["chapter"]
    search_fields = ["name", "office_sought"]
    inlines = [CampaignCommitteeInline]
