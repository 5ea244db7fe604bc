from django.urls import path

from pledgewatch.chapters import views

app_name = "chapters"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/imports/", views.import_list, name="import_list"),
    path("members/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("members/imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("settings/", views.chapter_settings, name="settings"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/role/", views.change_role, name="change_role"),
    path("audit/", views.audit_log, name="audit_log"),
]
