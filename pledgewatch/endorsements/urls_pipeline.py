"""URLs of the endorsement pipeline pages (included by endorsements/urls.py): the board, a
candidate's endorsement page and its changes (pk = the candidate's id), and the gate settings."""

from django.urls import path

from pledgewatch.endorsements import views_pipeline as views

urlpatterns: list = [
    path("", views.board_view, name="board"),
    path("gates/", views.gate_settings, name="gate_settings"),
    path("candidates/<int:pk>/", views.endorsement_detail, name="endorsement_detail"),
    path("candidates/<int:pk>/move/", views.endorsement_move, name="endorsement_move"),
    path("candidates/<int:pk>/waive/", views.gate_waive, name="gate_waive"),
    path(
        "candidates/<int:pk>/finance-decision/",
        views.finance_decision,
        name="finance_decision",
    ),
    path("waivers/<int:pk>/withdraw/", views.waiver_withdraw, name="waiver_withdraw"),
]
