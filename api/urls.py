"""API routes of one coordination: /c/<slug>/api/v1/..."""

from django.urls import path

from api import accounts, audit, members
from api.docs import DocsView, SchemaView

urlpatterns = [
    path("me/", accounts.MeView.as_view(), name="api_me"),
    path("members/", members.MemberListView.as_view(), name="api_members"),
    path("members/<uuid:public_id>/", members.MemberDetailView.as_view(), name="api_member_detail"),
    path("members/<uuid:public_id>/deactivate/", members.MemberDeactivateView.as_view(), name="api_member_deactivate"),
    path("invitations/", members.InvitationCreateView.as_view(), name="api_invitations"),
    path("audit-events/", audit.AuditEventListView.as_view(), name="api_audit_events"),
    path("schema/", SchemaView.as_view(), name="api_schema"),
    path("docs/", DocsView.as_view(url_name="api_schema"), name="api_docs"),
]
