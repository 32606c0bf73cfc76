"""Pages of persons, their consents and referrals (included by maillage.urls_tenant)."""

from django.urls import path

from referrals import referral_views, report_views, views
from referrals.transitions import ACTIONS

urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:public_id>/close/", views.person_close, name="person_close"),
    path("persons/<uuid:public_id>/household/", views.person_household, name="person_household"),
    path("persons/<uuid:public_id>/consents/new/", views.consent_create, name="consent_create"),
    path("persons/<uuid:public_id>/access-report/", report_views.access_report, name="access_report"),
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
        for action in ACTIONS
    ),
    path("consents/<uuid:public_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
