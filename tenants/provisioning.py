"""Provisioning a coordination: its schema, domain, communes, lead organisation and first
coordinator, all in one transaction."""

import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from audit.services import record_event
from directory.models import OrganisationKind
from directory.services import create_organisation
from maillage.actor import Actor
from maillage.errors import Invalid
from members.models import Role
from members.services import add_member
from tenants.models import (
    REGISTRATION_DEADLINE_MONTHS,
    Coordination,
    CoordinationCommune,
    Domain,
    Region,
    User,
)
from tenants.schemas import create_schema
from tenants.services import clean_email, send_password_setup, validate_new_password

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")


NIS_RE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class CommuneInput:
    name: str
    nis_code: str


@transaction.atomic
def provision_coordination(
    *,
    actor: Actor,
    name: str,
    slug: str,
    region: str,
    communes: list[CommuneInput],
    lead_organisation_name: str,
    lead_organisation_kind: str,
    coordinator_email: str,
    coordinator_name: str = "",
    coordinator_password: str | None = None,
    referral_response_working_days: int = 5,
    registration_deadline_months: int | None = None,
) -> Coordination:
    """Creates a coordination: its schema, lead organisation and first coordinator.

    All or nothing: the schema is created inside this transaction, so any error leaves
    no schema, row or account behind.
    """
    errors: dict[str, list] = {}
    name = (name or "").strip()
    slug = (slug or "").strip().lower()
    if not name:
        errors["name"] = [_("A coordination needs a name.")]
    if not SLUG_RE.match(slug):
        errors["slug"] = [_("Use 3 to 40 lowercase letters, digits and hyphens, starting with a letter.")]
    elif Coordination.objects.filter(slug=slug).exists() or slug == "public":
        errors["slug"] = [_("A coordination with this slug already exists.")]
    if region not in Region.values:
        errors["region"] = [_("Choose brussels, wallonia or flanders.")]
    if not communes:
        errors["communes"] = [_("Name at least one commune.")]
    for commune in communes:
        if not commune.name.strip() or not NIS_RE.match(commune.nis_code):
            errors.setdefault("communes", []).append(_("Each commune needs a name and a five-digit NIS code."))
    if len({c.nis_code for c in communes}) != len(communes):
        errors.setdefault("communes", []).append(_("A commune is listed twice."))
    if not (lead_organisation_name or "").strip():
        errors["lead_organisation_name"] = [_("Name the lead organisation.")]
    if lead_organisation_kind not in OrganisationKind.values:
        errors["lead_organisation_kind"] = [_("Unknown kind of organisation.")]
    coordinator_email = clean_email(coordinator_email, "coordinator_email", errors)
    if not 1 <= referral_response_working_days <= 30:
        errors["referral_response_working_days"] = [_("Between 1 and 30 working days.")]
    if registration_deadline_months is None:
        registration_deadline_months = REGISTRATION_DEADLINE_MONTHS.get(region, 6)
    if not 1 <= registration_deadline_months <= 24:
        errors["registration_deadline_months"] = [_("Between 1 and 24 months.")]
    existing_user = User.objects.filter(email__iexact=coordinator_email).first()
    if coordinator_password and existing_user is None:
        validate_new_password(coordinator_password, None, "coordinator_password", errors)
    if errors:
        raise Invalid(fields=errors)

    coordination = Coordination(
        schema_name=slug.replace("-", "_"),
        name=name,
        slug=slug,
        region=region,
        lead_organisation_name=lead_organisation_name.strip(),
        referral_response_working_days=referral_response_working_days,
        registration_deadline_months=registration_deadline_months,
    )
    coordination.save()
    create_schema(coordination.schema_name)
    Domain.objects.create(domain=slug, tenant=coordination, is_primary=True)
    Domain.objects.create(domain=f"{slug}.{settings.MAILLAGE_BASE_DOMAIN}", tenant=coordination, is_primary=False)
    CoordinationCommune.objects.bulk_create(
        CoordinationCommune(coordination=coordination, name=c.name.strip(), nis_code=c.nis_code) for c in communes
    )

    user = existing_user
    if user is None:
        user = User.objects.create_user(
            coordinator_email, password=coordinator_password, full_name=coordinator_name.strip()
        )
    with schema_context(coordination.schema_name):
        # Inside the new schema the platform acts (nobody is a member yet); the public
        # trail names the account that provisioned it.
        inside = replace(Actor.system(coordination), request_id=actor.request_id, ip_address=actor.ip_address)
        organisation = create_organisation(actor=inside, name=lead_organisation_name, kind=lead_organisation_kind)
        add_member(actor=inside, user=user, organisation=organisation, role=Role.COORDINATOR)
    coordination.lead_organisation_public_id = organisation.public_id
    coordination.save(update_fields=["lead_organisation_public_id", "updated_at"])
    record_event(
        actor=actor,
        action="coordination.provisioned",
        object_type="coordination",
        detail={"slug": slug, "schema": coordination.schema_name, "region": region},
    )
    if not user.has_usable_password():
        transaction.on_commit(lambda: send_password_setup(user=user))
    return coordination
