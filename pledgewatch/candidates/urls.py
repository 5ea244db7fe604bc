from django.urls import path

from pledgewatch.candidates import views

app_name = "candidates"

urlpatterns = [
    path("", views.candidate_list, name="candidate_list"),
    path("add/", views.candidate_add, name="candidate_add"),
    path("<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("<int:pk>/committees/", views.committee_add, name="committee_add"),
    path("committees/<int:pk>/remove/", views.committee_remove, name="committee_remove"),
]
