"""URLs inside one coordination, served under /c/<slug>/ (or on its own host)."""

from django.urls import include, path

from tenants import views

urlpatterns = [
    path("", views.coordination_home, name="coordination_home"),
    path("members/", views.members, name="members"),
    path("members/<uuid:public_id>/deactivate/", views.deactivate_member, name="member_deactivate"),
    path("invitation/<str:token>/", views.accept_invitation, name="invitation_accept"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("api/v1/", include("api.urls")),
    # So that the language form works on a coordination's own host (host routing).
    path("i18n/", include("django.conf.urls.i18n")),
]

handler404 = "maillage.views.not_found"
handler500 = "maillage.views.server_error"
