"""Demo families that move between coordinations (demo/data/transfers.yaml): opened where
they leave, with a consent naming the receiving organisation, handed over and, when the data
says so, accepted on arrival. Every write goes through the services, as a member of each
organisation. Loading twice changes nothing."""

from dataclasses import dataclass

from django.utils import timezone
from django_tenants.utils import schema_context

from consent.services import ConsentInput, record_consent
from demo import schema
from demo.actors import member_actor
from demo.referrals import DemoConsent, DemoPerson
from members.models import Membership
from members.roles import KEEPS_FILES
from persons.selectors import persons_visible_to
from persons.services import create_person
from tenants.models import Coordination
from transfers.services import accept_transfer, start_transfer


@dataclass(frozen=True)
class DemoTransfer:
    origin: str  # the slug of the coordination the family leaves
    keeper: str
    destination: str
    receiver: str
    person: DemoPerson
    consent: DemoConsent
    accepted: bool = False


@dataclass(frozen=True)
class DemoTransfers:
    transfers: list[DemoTransfer]


def _member_of(coordination, organisation_name: str):
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(organisation__name=organisation_name, is_active=True, role__in=KEEPS_FILES)
        .order_by("pk")
        .first()
    )
    return member_actor(coordination, membership)


def load_transfers_demo() -> int:
    """Returns how many families moved now."""
    moved = 0
    for spec in schema.read("transfers.yaml", DemoTransfers).transfers:
        origin = Coordination.objects.filter(slug=spec.origin).first()
        destination = Coordination.objects.filter(slug=spec.destination).first()
        if origin is None or destination is None:
            continue
        with schema_context(destination.schema_name):
            receiver = _member_of(destination, spec.receiver)
        with schema_context(origin.schema_name):
            keeper = _member_of(origin, spec.keeper)
            if keeper is None or receiver is None:
                continue
            if (
                persons_visible_to(actor=keeper)
                .filter(given_name=spec.person.given_name, family_name=spec.person.family_name)
                .exists()
            ):
                continue
            person = create_person(actor=keeper, data=spec.person.input())
            now = timezone.now()
            consent = spec.consent
            record_consent(
                actor=keeper,
                person=person,
                data=ConsentInput(
                    recipients=[],
                    recipients_elsewhere=[f"{destination.slug}/{receiver.organisation.public_id}"],
                    domains=list(consent.domains),
                    categories=list(consent.categories),
                    purpose=consent.purpose,
                    method=consent.method,
                    witness_name=consent.witness_name,
                    explanation_language=consent.explanation_language,
                    interpreter_used=spec.person.interpreter_needed,
                    interpreter_name="Service d'interprétariat social" if spec.person.interpreter_needed else "",
                    given_at=now + consent.given.delta if consent.given else None,
                    expires_at=now + consent.valid_until.delta if consent.valid_until else None,
                ),
            )
            transfer = start_transfer(
                actor=keeper,
                person=person,
                coordination_slug=destination.slug,
                organisation_public_id=receiver.organisation.public_id,
            )
        if spec.accepted:
            with schema_context(destination.schema_name):
                accept_transfer(actor=receiver, transfer=transfer)
        moved += 1
    return moved
