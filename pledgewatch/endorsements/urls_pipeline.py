"""URLs of the endorsement pipeline pages (included by endorsements/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
