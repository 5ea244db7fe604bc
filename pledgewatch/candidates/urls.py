from django.urls import path

from pledgewatch.candidates import views

app_name = "candidates"

urlpatterns = [
    path("", views.candidate_list, name="candidate_list"),
    path("add/", views.candidate_add, name="candidate_add"),
    path("<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("<int:pk>/contacts/add/", views.contact_add, name="contact_add"),
    path("<int:pk>/committees/", views.committee_add, name="committee_add"),
    path("committees/<int:pk>/remove/", views.committee_remove, name="committee_remove"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/add/", views.office_add, name="office_add"),
    path("offices/<int:pk>/edit/", views.office_edit, name="office_edit"),
    path("races/", views.race_list, name="race_list"),
    path("races/add/", views.race_add, name="race_add"),
    path("races/<int:pk>/", views.race_detail, name="race_detail"),
    path("races/<int:pk>/edit/", views.race_edit, name="race_edit"),
]
