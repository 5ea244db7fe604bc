"""URLs of the evidence pages of the pledge, ballot-access and questionnaire gates (included by
endorsements/urls.py; pk = the candidate's id)."""

from django.urls import path

from pledgewatch.endorsements import views_evidence as views

urlpatterns: list = [
    path("candidates/<int:pk>/pledge/", views.pledge_detail, name="pledge_detail"),
    path("candidates/<int:pk>/pledge/edit/", views.pledge_edit, name="pledge_edit"),
    path("candidates/<int:pk>/pledge/copy/", views.pledge_document, name="pledge_document"),
    path("candidates/<int:pk>/ballot/", views.ballot_detail, name="ballot_detail"),
    path("candidates/<int:pk>/ballot/edit/", views.ballot_edit, name="ballot_edit"),
    path(
        "candidates/<int:pk>/questionnaire/",
        views.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "candidates/<int:pk>/questionnaire/edit/",
        views.questionnaire_edit,
        name="questionnaire_edit",
    ),
]
