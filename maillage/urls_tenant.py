"""URLs inside one coordination, served under /c/<slug>/ (or on its own host). Each app
lists its own pages; this package imports none of them."""

from django.urls import include, path

urlpatterns = [
    path("", include("members.urls")),
    path("", include("work.urls")),
    path("", include("regions.urls")),
    path("", include("directory.urls")),
    path("", include("persons.urls")),
    path("", include("referrals.urls")),
    path("", include("plans.urls")),
    path("", include("consent.urls")),
    path("", include("charter.urls")),
    path("", include("meetings.urls")),
    path("", include("network.urls")),
    path("", include("notifications.urls")),
    path("", include("transfers.urls")),
    path("api/v1/", include("api.urls")),
    # So that the language form works on a coordination's own host (host routing).
    path("i18n/", include("django.conf.urls.i18n")),
]

handler404 = "maillage.views.not_found"
handler500 = "maillage.views.server_error"
