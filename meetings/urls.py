"""Pages of meetings, follow-up actions and the action plan (included by maillage.urls_tenant)."""

from django.urls import path

from meetings import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/actions/", views.action_list, name="action_list"),
    path("meetings/actions/new/", views.action_create, name="action_create"),
    path("meetings/actions/<uuid:public_id>/", views.action_detail, name="action_detail"),
    path("meetings/actions/<uuid:public_id>/edit/", views.action_edit, name="action_edit"),
    path("meetings/actions/<uuid:public_id>/status/", views.action_status, name="action_status"),
    path("meetings/plan/", views.action_plan, name="action_plan"),
    path("meetings/plan/new/", views.objective_create, name="objective_create"),
    path("meetings/plan/<uuid:public_id>/edit/", views.objective_edit, name="objective_edit"),
    path("meetings/feed/", views.feed_settings, name="meeting_feed_settings"),
    path("meetings/feed/<str:token>.ics", views.feed, name="meeting_feed"),
    path("meetings/<uuid:public_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:public_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:public_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
]
