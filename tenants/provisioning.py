"""The public part of provisioning a coordination: its row, schema, domains and communes.
members.provisioning.provision_coordination runs it with the lead organisation and the
first coordinator, in one transaction."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from tenants.models import (
    REGISTRATION_DEADLINE_MONTHS,
    Coordination,
    CoordinationCommune,
    Domain,
    Region,
)
from tenants.schemas import create_schema

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")


NIS_RE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class CommuneInput:
    name: str
    nis_code: str
    name_nl: str = ""


def check_coordination(*, name: str, slug: str, region: str, communes: list[CommuneInput], errors: dict) -> None:
    """Adds to `errors` what is wrong with the coordination's name, slug, region and communes."""
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


def check_deadlines(
    *, region: str, referral_response_working_days: int, registration_deadline_months: int | None, errors: dict
) -> int:
    """Adds to `errors` what is wrong with the deadlines; returns the registration deadline,
    the region's default when none is given."""
    if not 1 <= referral_response_working_days <= 30:
        errors["referral_response_working_days"] = [_("Between 1 and 30 working days.")]
    if registration_deadline_months is None:
        registration_deadline_months = REGISTRATION_DEADLINE_MONTHS.get(region, 6)
    if not 1 <= registration_deadline_months <= 24:
        errors["registration_deadline_months"] = [_("Between 1 and 24 months.")]
    return registration_deadline_months


def create_coordination(
    *,
    name: str,
    slug: str,
    region: str,
    communes: list[CommuneInput],
    lead_organisation_name: str,
    referral_response_working_days: int,
    registration_deadline_months: int,
    name_nl: str = "",
) -> Coordination:
    """The coordination's row, its migrated schema, its domains and communes, from checked
    input, in the caller's transaction (the schema is created inside it, so a later error
    leaves no schema behind)."""
    coordination = Coordination(
        schema_name=slug.replace("-", "_"),
        name=name,
        name_nl=name_nl,
        slug=slug,
        region=region,
        lead_organisation_name=lead_organisation_name,
        referral_response_working_days=referral_response_working_days,
        registration_deadline_months=registration_deadline_months,
    )
    coordination.save()
    create_schema(coordination.schema_name)
    Domain.objects.create(domain=slug, tenant=coordination, is_primary=True)
    Domain.objects.create(domain=f"{slug}.{settings.MAILLAGE_BASE_DOMAIN}", tenant=coordination, is_primary=False)
    CoordinationCommune.objects.bulk_create(
        CoordinationCommune(
            coordination=coordination, name=c.name.strip(), name_nl=c.name_nl.strip(), nis_code=c.nis_code
        )
        for c in communes
    )
    return coordination
