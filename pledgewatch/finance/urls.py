from django.urls import path

from pledgewatch.finance import views

app_name = "finance"

# Mounted at /c/<slug>/ beside the chapters' and candidates' URLs.
urlpatterns = [
    path("candidates/<int:pk>/imports/", views.import_list, name="import_list"),
    path("candidates/<int:pk>/imports/fetch/", views.import_fetch, name="import_fetch"),
    path("candidates/<int:pk>/rescreen/", views.rescreen, name="rescreen"),
    path("candidates/<int:pk>/findings/", views.finding_list, name="finding_list"),
    path("candidates/<int:pk>/alias-proposals/", views.alias_proposals, name="alias_proposals"),
    path("finance/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("finance/imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("finance/findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("finance/findings/<int:pk>/review/", views.finding_review, name="finding_review"),
    path("policy/", views.policy_detail, name="policy_detail"),
    path("policy/settings/", views.policy_settings, name="policy_settings"),
    path("policy/organizations/add/", views.organization_add, name="organization_add"),
    path("policy/organizations/<int:pk>/", views.organization_edit, name="organization_edit"),
    path("policy/organizations/<int:pk>/aliases/", views.alias_add, name="alias_add"),
    path("policy/never-flag/", views.neverflag_list, name="neverflag_list"),
    path("policy/never-flag/<int:pk>/", views.neverflag_edit, name="neverflag_edit"),
]
