"""Provisioning a coordination: its schema, domain, communes (tenants.provisioning), lead
organisation and first coordinator, all in one transaction. It lives here, above the
public core, because the lead organisation and the first membership belong to the apps
above tenants."""

from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from audit.services import record_event
from directory.models import OrganisationKind
from directory.services import create_organisation
from maillage.actor import Actor
from maillage.errors import Invalid
from members.roles import Role
from members.services import add_member
from tenants.models import Coordination, User
from tenants.provisioning import CommuneInput, check_coordination, check_deadlines, create_coordination
from tenants.services import clean_email, send_password_setup, validate_new_password

__all__ = ["CommuneInput", "provision_coordination"]


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
    name_nl: str = "",
) -> Coordination:
    """Creates a coordination: its schema, lead organisation and first coordinator.

    All or nothing: the schema is created inside this transaction, so any error leaves
    no schema, row or account behind.
    """
    errors: dict[str, list] = {}
    name = (name or "").strip()
    slug = (slug or "").strip().lower()
    check_coordination(name=name, slug=slug, region=region, communes=communes, errors=errors)
    if not (lead_organisation_name or "").strip():
        errors["lead_organisation_name"] = [_("Name the lead organisation.")]
    if lead_organisation_kind not in OrganisationKind.values:
        errors["lead_organisation_kind"] = [_("Unknown kind of organisation.")]
    coordinator_email = clean_email(coordinator_email, "coordinator_email", errors)
    registration_deadline_months = check_deadlines(
        region=region,
        referral_response_working_days=referral_response_working_days,
        registration_deadline_months=registration_deadline_months,
        errors=errors,
    )
    existing_user = User.objects.filter(email__iexact=coordinator_email).first()
    if coordinator_password and existing_user is None:
        validate_new_password(coordinator_password, None, "coordinator_password", errors)
    if errors:
        raise Invalid(fields=errors)

    coordination = create_coordination(
        name=name,
        name_nl=(name_nl or "").strip(),
        slug=slug,
        region=region,
        communes=communes,
        lead_organisation_name=lead_organisation_name.strip(),
        referral_response_working_days=referral_response_working_days,
        registration_deadline_months=registration_deadline_months,
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
        send_password_setup(user=user)
    return coordination
