"""URLs of the endorsement evidence pages (included by endorsements/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
