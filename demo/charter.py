"""Demo: a coordination's data-sharing charter, adopted by every member organisation, and one
membership request waiting for the coordinators (demo/data/charter.yaml: Schaerbeek only).
Loading twice changes nothing.

Call after the directory, persons and referrals demos (demo.coordinations.load_demo):
    load_charter_demo(coordination)
"""

from dataclasses import dataclass

from django.db import transaction
from django_tenants.utils import schema_context

from charter import services
from charter.models import CharterAdoption, CharterVersion, MembershipRequest
from demo import schema
from demo.actors import member_actor
from directory.models import Organisation
from maillage.actor import Actor
from members.models import Membership
from members.roles import READS_PERSONAL_DATA


@dataclass(frozen=True)
class Representative:
    organisation: str
    name: str
    title: str


@dataclass(frozen=True)
class DemoCharter:
    title: str
    purposes: str
    secrecy_rules: str
    retention: str
    data_protection_contact: str
    other_provisions: str
    representatives: list[Representative]
    membership_request: services.MembershipRequestInput


def _adopter(organisation: Organisation, coordination) -> Actor:
    """A member of the organisation who may adopt the charter for it, else the platform."""
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=organisation, is_active=True, role__in=READS_PERSONAL_DATA)
        .order_by("role", "created_at")
        .first()
    )
    return member_actor(coordination, membership) or Actor.system(coordination)


@transaction.atomic
def load_charter_demo(coordination) -> int:
    """The coordination's entry in demo/data/charter.yaml (Schaerbeek has one): charter
    version 1, adopted by every member organisation, and one pending membership request.
    Returns the number of adoptions recorded."""
    spec = schema.read("charter.yaml", dict[str, DemoCharter]).get(coordination.slug)
    if spec is None:
        return 0
    system = Actor.system(coordination)
    made = 0
    with schema_context(coordination.schema_name):
        current = CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()
        if current is None:
            draft = CharterVersion.objects.filter(published_at__isnull=True).first()
            if draft is None:
                draft = services.create_charter_draft(
                    actor=system,
                    data=services.CharterInput(
                        title=spec.title,
                        purposes=spec.purposes,
                        secrecy_rules=spec.secrecy_rules,
                        retention=spec.retention,
                        data_protection_contact=spec.data_protection_contact,
                        other_provisions=spec.other_provisions,
                    ),
                )
            current = services.publish_charter(actor=system, version=draft)
        representatives = {r.organisation: (r.name, r.title) for r in spec.representatives}
        for organisation in Organisation.objects.filter(is_member=True).order_by("name"):
            if CharterAdoption.objects.filter(charter=current, organisation=organisation).exists():
                continue
            name, title = representatives.get(organisation.name, ("Direction", ""))
            services.adopt_charter(
                actor=_adopter(organisation, coordination),
                organisation=organisation,
                representative=name,
                representative_title=title,
            )
            made += 1
        request = spec.membership_request
        if not MembershipRequest.objects.filter(organisation_name__iexact=request.organisation_name).exists():
            # Filed through the join link by an association with no account yet.
            services.request_membership(
                actor=Actor(user=None, membership=None, organisation=None, coordination=coordination),
                data=request,
                by_link=True,
            )
    return made
