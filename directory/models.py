"""Organisations of a coordination (and, later, their offers)."""

import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BAPA = "bapa", _("Reception office for newcomers (BAPA)")
    CRI = "cri", _("Regional integration centre (CRI)")
    CPAS = "cpas", _("Public social welfare centre (CPAS)")
    COMMUNE = "commune", _("Commune")
    ASSOCIATION = "association", _("Association")
    NGO = "ngo", _("NGO")
    CITIZEN_INITIATIVE = "citizen_initiative", _("Citizen initiative")
    PUBLIC_SERVICE = "public_service", _("Public service")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """An organisation as it acts in this coordination (an organisation active in two
    coordinations has a row in each schema)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    is_member = models.BooleanField(
        _("member of the coordination"),
        default=True,
        help_text=_("Members send and receive referrals; others are only listed in the directory."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci")]

    def __str__(self) -> str:
        return self.name
