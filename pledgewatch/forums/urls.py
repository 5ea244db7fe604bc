"""/c/<slug>/forums/...: the chapter's public forums, their invitations and the committee's
evaluations of candidates' speeches; the organization directory and its contact people."""

from django.urls import path

from pledgewatch.forums import views

app_name = "forums"

urlpatterns = [
    path("", views.forum_list, name="forum_list"),
    path("add/", views.forum_add, name="forum_add"),
    path("<int:pk>/", views.forum_detail, name="forum_detail"),
    path("<int:pk>/edit/", views.forum_edit, name="forum_edit"),
    path("<int:pk>/report/", views.forum_report, name="forum_report"),
    path("<int:pk>/calendar.ics", views.forum_ics, name="forum_ics"),
    path("<int:pk>/invite/organization/", views.invite_organization, name="invite_organization"),
    path("<int:pk>/invite/candidate/", views.invite_candidate, name="invite_candidate"),
    path("invitations/<int:pk>/rsvp/", views.invitation_rsvp, name="invitation_rsvp"),
    path("invitations/<int:pk>/speech/", views.invitation_speech, name="invitation_speech"),
    path("invitations/<int:pk>/remove/", views.invitation_remove, name="invitation_remove"),
    path("invitations/<int:pk>/evaluation/", views.evaluation_edit, name="evaluation_edit"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/add/", views.organization_add, name="organization_add"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/contacts/add/", views.contact_add, name="contact_add"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
]
