"""regions names the codes its SQL returns without importing the apps that own them."""

from directory.models import OrganisationKind
from referrals.models import ReferralStatus
from regions.indicators import ORGANISATION_KIND_LABELS, REFERRAL_STATUS_LABELS


def test_referral_status_labels_match_the_referrals_app():
    assert {code: str(label) for code, label in REFERRAL_STATUS_LABELS.items()} == {
        s.value: str(s.label) for s in ReferralStatus
    }


def test_organisation_kind_labels_match_the_directory():
    assert {code: str(label) for code, label in ORGANISATION_KIND_LABELS.items()} == {
        k.value: str(k.label) for k in OrganisationKind
    }
