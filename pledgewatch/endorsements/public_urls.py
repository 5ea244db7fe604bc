"""/p/<slug>/...: what a chapter publishes, readable without an account."""

from django.urls import path  # noqa: F401

app_name = "public"

urlpatterns: list = []
