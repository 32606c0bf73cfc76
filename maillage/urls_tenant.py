"""URLs inside one coordination, served under /c/<slug>/ (or on its own host)."""

from django.urls import include, path

from audit import views as audit
from consent import views as consent
from directory import views as directory
from meetings import views as meetings
from members import views as members
from persons import views as persons
from referrals import referral_views
from regions import views as region_views
from tenants import views

urlpatterns = [
    path("", views.coordination_home, name="coordination_home"),
    path("members/", members.members, name="members"),
    path("members/<uuid:public_id>/deactivate/", members.deactivate_member, name="member_deactivate"),
    path("invitation/<str:token>/", members.accept_invitation, name="invitation_accept"),
    path("indicators/", region_views.coordination_indicators, name="coordination_indicators"),
    path("audit/", audit.audit_trail, name="audit_trail"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path("directory/", directory.search, name="directory"),
    path("directory/mine/", directory.my_offers, name="my_offers"),
    path("directory/print/", directory.print_list, name="directory_print"),
    path("directory/coverage/", directory.coverage, name="coverage"),
    path("directory/import/", directory.import_page, name="directory_import"),
    path("directory/export.json", directory.export_hsds, name="directory_export"),
    path("directory/offers/<uuid:public_id>/", directory.offer_detail, name="offer_detail"),
    path("directory/offers/<uuid:public_id>/edit/", directory.offer_edit, name="offer_edit"),
    path("directory/offers/<uuid:public_id>/verify/", directory.offer_verify, name="offer_verify"),
    path("directory/organisations/", directory.organisation_list, name="organisation_list"),
    path("directory/organisations/new/", directory.organisation_edit, name="organisation_create"),
    path("directory/organisations/<uuid:public_id>/", directory.organisation_detail, name="organisation_detail"),
    path("directory/organisations/<uuid:public_id>/edit/", directory.organisation_edit, name="organisation_edit"),
    path("directory/organisations/<uuid:organisation_id>/offers/new/", directory.offer_create, name="offer_create"),
    path("persons/", persons.person_list, name="person_list"),
    path("persons/new/", persons.person_create, name="person_create"),
    path("persons/<uuid:public_id>/", persons.person_detail, name="person_detail"),
    path("persons/<uuid:public_id>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<uuid:public_id>/close/", persons.person_close, name="person_close"),
    path("persons/<uuid:public_id>/household/", persons.person_household, name="person_household"),
    path("persons/<uuid:public_id>/consents/new/", consent.consent_create, name="consent_create"),
    path("persons/<uuid:public_id>/consent-form/", consent.consent_form_document, name="consent_form_document"),
    path("persons/<uuid:public_id>/access-report/", persons.access_report, name="access_report"),
    path("persons/<uuid:public_id>/refer/", referral_views.refer, name="person_refer"),
    path("referrals/inbox/", referral_views.inbox, name="referral_inbox"),
    path("referrals/outbox/", referral_views.outbox, name="referral_outbox"),
    path("referrals/triage/", referral_views.triage, name="referral_triage"),
    path("referrals/overdue/", referral_views.overdue, name="referral_overdue_list"),
    path("referrals/<uuid:public_id>/", referral_views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:public_id>/slip/", referral_views.referral_slip, name="referral_slip"),
    path("referrals/<uuid:public_id>/notes/", referral_views.referral_note_add, name="referral_note_add"),
    *(
        path(
            f"referrals/<uuid:public_id>/{action}/",
            referral_views.referral_action,
            {"action": action},
            name=f"referral_{action.replace('-', '_')}",
        )
        for action in referral_views.ACTIONS
    ),
    path("consents/<uuid:public_id>/withdraw/", consent.consent_withdraw, name="consent_withdraw"),
    path("consents/<uuid:public_id>/receipt/", consent.consent_receipt, name="consent_receipt"),
    path("", include("charter.urls")),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/actions/", meetings.action_list, name="action_list"),
    path("meetings/actions/new/", meetings.action_create, name="action_create"),
    path("meetings/actions/<uuid:public_id>/", meetings.action_detail, name="action_detail"),
    path("meetings/actions/<uuid:public_id>/edit/", meetings.action_edit, name="action_edit"),
    path("meetings/actions/<uuid:public_id>/status/", meetings.action_status, name="action_status"),
    path("meetings/plan/", meetings.action_plan, name="action_plan"),
    path("meetings/plan/new/", meetings.objective_create, name="objective_create"),
    path("meetings/plan/<uuid:public_id>/edit/", meetings.objective_edit, name="objective_edit"),
    path("meetings/feed/", meetings.feed_settings, name="meeting_feed_settings"),
    path("meetings/feed/<str:token>.ics", meetings.feed, name="meeting_feed"),
    path("meetings/<uuid:public_id>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:public_id>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:public_id>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path("", include("network.urls")),
    path("", include("notifications.urls")),
    path("api/v1/", include("api.urls")),
    # So that the language form works on a coordination's own host (host routing).
    path("i18n/", include("django.conf.urls.i18n")),
]

handler404 = "maillage.views.not_found"
handler500 = "maillage.views.server_error"
