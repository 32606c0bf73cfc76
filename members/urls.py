"""Pages of the members app: the coordination's home, members, invitations and the audit
trail (included by maillage.urls_tenant)."""

from django.urls import path

from members import audit_views, views

urlpatterns = [
    path("", views.coordination_home, name="coordination_home"),
    path("members/", views.members, name="members"),
    path("members/<uuid:public_id>/deactivate/", views.deactivate_member, name="member_deactivate"),
    path("members/<uuid:public_id>/revoke-tokens/", views.revoke_member_api_tokens, name="member_revoke_tokens"),
    path("members/invitations/<uuid:public_id>/resend/", views.resend_invitation, name="invitation_resend"),
    path("members/invitations/<uuid:public_id>/cancel/", views.cancel_invitation, name="invitation_cancel"),
    path("invitation/<str:token>/", views.accept_invitation, name="invitation_accept"),
    path("audit/", audit_views.audit_trail, name="audit_trail"),
    path("audit/export.csv", audit_views.audit_export, name="audit_export"),
]
