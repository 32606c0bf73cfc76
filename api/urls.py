"""API routes of one coordination: /c/<slug>/api/v1/..."""

from django.urls import include, path

from api import accounts, audit, directory, interop, meetings, members, notes, persons, referrals
from api.docs import DocsView, SchemaView

urlpatterns = [
    path("me/", accounts.MeView.as_view(), name="api_me"),
    path("members/", members.MemberListView.as_view(), name="api_members"),
    path("members/<uuid:public_id>/", members.MemberDetailView.as_view(), name="api_member_detail"),
    path("members/<uuid:public_id>/deactivate/", members.MemberDeactivateView.as_view(), name="api_member_deactivate"),
    path("invitations/", members.InvitationCreateView.as_view(), name="api_invitations"),
    path("audit-events/", audit.AuditEventListView.as_view(), name="api_audit_events"),
    path("organisations/", directory.OrganisationListView.as_view(), name="api_organisations"),
    path("organisations/<uuid:public_id>/", directory.OrganisationDetailView.as_view(), name="api_organisation"),
    path("offers/", directory.OfferListView.as_view(), name="api_offers"),
    path("offers/<uuid:public_id>/", directory.OfferDetailView.as_view(), name="api_offer"),
    path("offers/<uuid:public_id>/verify/", directory.OfferVerifyView.as_view(), name="api_offer_verify"),
    path("need-domains/", directory.NeedDomainListView.as_view(), name="api_need_domains"),
    path("coverage/", directory.CoverageView.as_view(), name="api_coverage"),
    path("hsds/", interop.HsdsDocumentView.as_view(), name="api_hsds"),
    path("hsds/services/", interop.HsdsServiceListView.as_view(), name="api_hsds_services"),
    path("hsds/services/<uuid:public_id>/", interop.HsdsServiceDetailView.as_view(), name="api_hsds_service"),
    path("hsds/organizations/", interop.HsdsOrganizationListView.as_view(), name="api_hsds_organizations"),
    path("hsds/import/", interop.HsdsImportView.as_view(), name="api_hsds_import"),
    path("import/csv/", interop.CsvImportView.as_view(), name="api_csv_import"),
    path("persons/", persons.PersonListView.as_view(), name="api_persons"),
    path("persons/<uuid:public_id>/", persons.PersonDetailView.as_view(), name="api_person"),
    path("persons/<uuid:public_id>/consents/", persons.PersonConsentsView.as_view(), name="api_person_consents"),
    path("persons/<uuid:public_id>/notes/", notes.PersonNotesView.as_view(), name="api_person_notes"),
    path("households/", persons.HouseholdView.as_view(), name="api_households"),
    path("consents/<uuid:public_id>/", persons.ConsentDetailView.as_view(), name="api_consent"),
    path("consents/<uuid:public_id>/withdraw/", persons.ConsentWithdrawView.as_view(), name="api_consent_withdraw"),
    path("notes/<uuid:public_id>/", notes.NoteDetailView.as_view(), name="api_note"),
    path("notes/<uuid:public_id>/correct/", notes.NoteCorrectView.as_view(), name="api_note_correct"),
    path("notes/<uuid:public_id>/retract/", notes.NoteRetractView.as_view(), name="api_note_retract"),
    path("referrals/", referrals.ReferralCreateView.as_view(), name="api_referrals"),
    path("referrals/inbox/", referrals.InboxView.as_view(), name="api_referral_inbox"),
    path("referrals/outbox/", referrals.OutboxView.as_view(), name="api_referral_outbox"),
    path("referrals/triage/", referrals.TriageQueueView.as_view(), name="api_referral_triage"),
    path("referrals/<uuid:public_id>/triage/", referrals.TriageView.as_view(), name="api_referral_triage_one"),
    path("referrals/<uuid:public_id>/", referrals.ReferralDetailView.as_view(), name="api_referral"),
    path(
        "referrals/<uuid:public_id>/<slug:transition>/",
        referrals.ReferralTransitionView.as_view(),
        name="api_referral_transition",
    ),
    # issue 7 -- membership requests and charter
    path("", include("api.charter")),
    # issue 7 -- meetings, actions and action plan
    path("meetings/", meetings.MeetingListView.as_view(), name="api_meetings"),
    path("meetings/<uuid:public_id>/", meetings.MeetingDetailView.as_view(), name="api_meeting"),
    path("actions/", meetings.ActionListView.as_view(), name="api_actions"),
    path("actions/<uuid:public_id>/", meetings.ActionDetailView.as_view(), name="api_action"),
    path("actions/<uuid:public_id>/status/", meetings.ActionStatusView.as_view(), name="api_action_status"),
    path("objectives/", meetings.ObjectiveListView.as_view(), name="api_objectives"),
    path("objectives/<uuid:public_id>/", meetings.ObjectiveDetailView.as_view(), name="api_objective"),
    # issue 7 -- network map
    path("", include("api.network_urls")),
    # issue 6 -- indicators (coordinator side)
    path("indicators/", include("api.indicators")),
    path("schema/", SchemaView.as_view(), name="api_schema"),
    path("docs/", DocsView.as_view(url_name="api_schema"), name="api_docs"),
]
