"""Pages of referrals (included by maillage.urls_tenant)."""

from django.urls import path

from referrals import views
from referrals.notes import views as notes_views
from referrals.transitions import ACTIONS

urlpatterns = [
    path("persons/<uuid:public_id>/refer/", views.refer, name="person_refer"),
    path("referrals/refer-to/<uuid:offer_id>/", views.refer_to_offer, name="refer_to_offer"),
    path("referrals/inbox/", views.inbox, name="referral_inbox"),
    path("referrals/outbox/", views.outbox, name="referral_outbox"),
    path("referrals/triage/", views.triage, name="referral_triage"),
    path("referrals/overdue/", views.overdue, name="referral_overdue_list"),
    path("referrals/<uuid:public_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:public_id>/slip/", views.referral_slip, name="referral_slip"),
    path("referrals/<uuid:public_id>/take/", views.referral_take, name="referral_take"),
    path("referrals/<uuid:public_id>/hand-over/", views.referral_hand_over, name="referral_hand_over"),
    path("referrals/<uuid:public_id>/notes/", notes_views.referral_note_add, name="referral_note_add"),
    *(
        path(
            f"referrals/<uuid:public_id>/{action}/",
            views.referral_action,
            {"action": action},
            name=f"referral_{action.replace('-', '_')}",
        )
        for action in ACTIONS
    ),
]
