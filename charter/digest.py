"""The charter's section of the weekly digest (listed in MAILLAGE_DIGEST_SECTIONS):
listed organisations whose request to join was approved this week are news too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from charter.models import MembershipRequest, RequestStatus
from directory.models import Organisation

if TYPE_CHECKING:
    from notifications.digest import DigestWindow


def approved_members(*, window: DigestWindow) -> dict:
    approved = MembershipRequest.objects.filter(
        status=RequestStatus.APPROVED,
        decided_at__gte=window.start,
        decided_at__lt=window.end,
        organisation__isnull=False,
    ).values("organisation_id")
    organisations = Organisation.objects.filter(pk__in=approved, is_member=True).order_by("name")
    return {"new_organisations": list(organisations.values_list("name", "kind"))}
