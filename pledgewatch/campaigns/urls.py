from django.urls import path

from pledgewatch.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/strategy/", views.strategy_edit, name="strategy_edit"),
    path("revisions/<int:pk>/", views.revision_detail, name="revision_detail"),
]
