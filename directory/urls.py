"""Pages of the directory (included by maillage.urls_tenant)."""

from django.urls import path

from directory import views

urlpatterns = [
    path("directory/", views.search, name="directory"),
    path("directory/mine/", views.my_offers, name="my_offers"),
    path("directory/print/", views.print_list, name="directory_print"),
    path("directory/coverage/", views.coverage, name="coverage"),
    path("directory/thesaurus/", views.thesaurus, name="thesaurus"),
    path("directory/thesaurus/<uuid:public_id>/", views.thesaurus_entry, name="thesaurus_entry"),
    path("directory/thesaurus/<uuid:public_id>/delete/", views.thesaurus_delete, name="thesaurus_delete"),
    path("directory/import/", views.import_page, name="directory_import"),
    path("directory/export.json", views.export_hsds, name="directory_export"),
    path("directory/harvesting/", views.harvesting_page, name="harvesting"),
    path("directory/harvesting/switch/", views.harvesting_switch, name="harvesting_switch"),
    path("directory/harvesting/token/", views.harvesting_token, name="harvesting_token"),
    path(
        "directory/harvesting/token/<uuid:public_id>/revoke/",
        views.revoke_harvesting_token,
        name="harvesting_token_revoke",
    ),
    path("directory/offers/<uuid:public_id>/", views.offer_detail, name="offer_detail"),
    path("directory/offers/<uuid:public_id>/edit/", views.offer_edit, name="offer_edit"),
    path("directory/offers/<uuid:public_id>/verify/", views.offer_verify, name="offer_verify"),
    path("directory/organisations/", views.organisation_list, name="organisation_list"),
    path("directory/organisations/new/", views.organisation_edit, name="organisation_create"),
    path("directory/organisations/<uuid:public_id>/", views.organisation_detail, name="organisation_detail"),
    path("directory/organisations/<uuid:public_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("directory/organisations/<uuid:organisation_id>/offers/new/", views.offer_create, name="offer_create"),
]
