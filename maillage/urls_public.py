"""URLs outside any coordination: home, sign-in, account, regional dashboard, platform admin.
Each app lists its own pages; this package imports none of them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("tenants.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("regions.urls_public")),
    path("", include("api.urls_public")),
    path(settings.MAILLAGE_ADMIN_PATH, admin.site.urls),
]

handler404 = "maillage.views.not_found"
handler500 = "maillage.views.server_error"
