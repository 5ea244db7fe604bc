"""/p/<slug>/...: what a chapter publishes, readable without an account (views_public)."""

from django.urls import path

from pledgewatch.endorsements import views_public

app_name = "public"

urlpatterns = [
    path("", views_public.chapter_page, name="chapter"),
    path("forums/<int:pk>/calendar.ics", views_public.forum_ics, name="forum_ics"),
]
