"""URLs of the by-law, resources and talking points pages (included by endorsements/urls.py)."""

from django.urls import path

from pledgewatch.endorsements import views_bylaw as views

urlpatterns = [
    path("bylaw/", views.bylaw, name="bylaw"),
    path("bylaw/edit/", views.bylaw_edit, name="bylaw_edit"),
    path("bylaw/adopt/", views.bylaw_adopt, name="bylaw_adopt"),
    path("bylaw/amend/", views.bylaw_amend, name="bylaw_amend"),
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/add/", views.resource_add, name="resource_add"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/delete/", views.resource_delete, name="resource_delete"),
    path("candidates/<int:pk>/talking-points/", views.talking_points, name="talking_points"),
    path(
        "candidates/<int:pk>/talking-points/send/",
        views.talking_points_send,
        name="talking_points_send",
    ),
]
