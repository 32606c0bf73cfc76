"""Writes to the directory."""

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from directory.models import Organisation, OrganisationKind
from maillage.actor import Actor
from maillage.errors import Invalid
from tenants.audit.services import record_event


@transaction.atomic
def create_organisation(
    *, actor: Actor, name: str, kind: str, is_member: bool = True, description: str = ""
) -> Organisation:
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("An organisation needs a name.")]
    elif Organisation.objects.annotate(lname=Lower("name")).filter(lname=name.lower()).exists():
        errors["name"] = [_("An organisation with this name already exists in this coordination.")]
    if kind not in OrganisationKind.values:
        errors["kind"] = [_("Unknown kind of organisation.")]
    if errors:
        raise Invalid(fields=errors)
    organisation = Organisation.objects.create(name=name, kind=kind, is_member=is_member, description=description)
    record_event(
        actor=actor,
        action="organisation.created",
        object_type="organisation",
        object_public_id=organisation.public_id,
    )
    return organisation
