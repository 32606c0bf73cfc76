"""The directory's sections of the weekly digest (listed in MAILLAGE_DIGEST_SECTIONS):
member organisations new this week, and offers new, closing soon or ended. Facts about the
network only. Each section takes the digest's window and returns fields of
notifications.digest.WeeklyNews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q

from directory.models import Offer, Organisation

if TYPE_CHECKING:
    from notifications.digest import DigestWindow

CLOSING_WITHIN = timedelta(days=14)


@dataclass(frozen=True)
class OfferLine:
    title: str
    organisation: str
    domain: object  # NeedDomain: its label follows the reader's language
    valid_until: date | None
    url: str


def new_members(*, window: DigestWindow) -> dict:
    """Member organisations created during the week (charter adds those approved)."""
    organisations = Organisation.objects.filter(created_at__gte=window.start, created_at__lt=window.end, is_member=True)
    return {"new_organisations": list(organisations.order_by("name").values_list("name", "kind"))}


def _offer_lines(offers, coordination) -> list[OfferLine]:
    return [
        OfferLine(
            title=offer.title,
            organisation=offer.organisation.name,
            domain=offer.primary_domain,
            valid_until=offer.valid_until,
            url=f"{coordination.absolute_url}directory/offers/{offer.public_id}/",
        )
        for offer in offers
    ]


def offers(*, window: DigestWindow) -> dict:
    today, coordination = window.today, window.coordination
    offers = Offer.objects.select_related("organisation", "primary_domain")
    current = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    new_offers = offers.filter(current, created_at__gte=window.start, created_at__lt=window.end).order_by("title", "pk")
    closing = offers.filter(valid_until__gte=today, valid_until__lte=today + CLOSING_WITHIN).order_by(
        "valid_until", "title", "pk"
    )
    ended = offers.filter(valid_until__gte=window.since, valid_until__lt=today).order_by("valid_until", "title", "pk")
    return {
        "new_offers": _offer_lines(new_offers, coordination),
        "closing_offers": _offer_lines(closing, coordination),
        "ended_offers": _offer_lines(ended, coordination),
    }
